import Foundation

/// The date forms scs-0102 accepts, parsed as the official check parses them (UTC, strict patterns),
/// returning Unix seconds or `nil` where the check's `parse_date` returns 0.
public enum SCSDate {
  public enum Form: Sendable, CaseIterable {
    /// `2026-11-01T12:00:00Z`, Glance's timestamps.
    case strict
    /// `2026-11-01 12:00:00`.
    case dateTimeSeconds
    /// `2026-11-01 12:00`.
    case dateTimeMinutes
    /// `2026-11-01`.
    case date
    /// `20261101`, a date in an image name.
    case compactDate

    var pattern: String {
      switch self {
      case .strict: "^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})T([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})Z$"
      case .dateTimeSeconds: "^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2}) ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})$"
      case .dateTimeMinutes: "^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2}) ([0-9]{1,2}):([0-9]{1,2})$"
      case .date: "^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$"
      case .compactDate: "^([0-9]{4})([0-9]{2})([0-9]{2})$"
      }
    }
  }

  /// The forms of `image_build_date`, `provided_until` and `uuid_validity`.
  public static let dateForms: [Form] = [.strict, .dateTimeSeconds, .dateTimeMinutes, .date]
  /// The forms of a date marker at the end of an image name (`Ubuntu 24.04 20261101`).
  public static let markerForms: [Form] = [.date, .compactDate]

  public static func parse(_ text: String, forms: [Form] = dateForms) -> TimeInterval? {
    for form in forms {
      guard let match = text.range(of: form.pattern, options: .regularExpression),
        match == text.startIndex..<text.endIndex
      else { continue }
      let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
      var parts: [Int]
      if form == .compactDate, let value = Int(text) {
        parts = [value / 10000, value / 100 % 100, value % 100]
      } else {
        parts = numbers
      }
      while parts.count < 6 { parts.append(0) }
      var components = DateComponents()
      components.year = parts[0]
      components.month = parts[1]
      components.day = parts[2]
      components.hour = parts[3]
      components.minute = parts[4]
      components.second = parts[5]
      guard (1...12).contains(parts[1]), (1...31).contains(parts[2]), parts[3] < 24, parts[4] < 60, parts[5] < 62
      else { continue }
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC")!
      guard let date = calendar.date(from: components),
        calendar.component(.day, from: date) == parts[2]
      else { continue }
      return date.timeIntervalSince1970
    }
    return nil
  }
}
