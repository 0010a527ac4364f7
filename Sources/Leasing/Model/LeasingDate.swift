import Foundation

/// Dates as esi-leap's API writes and reads them: ISO 8601 in UTC without a zone suffix
/// (`2026-01-31T12:00:00`, microseconds when not zero). Input may also carry `Z` or an offset, use a space
/// instead of `T`, or be a bare date (midnight UTC).
public enum LeasingDate {
  /// esi-leap's "no end" (`datetime.max`).
  public static let distantEnd: Date = {
    var components = DateComponents()
    (components.year, components.month, components.day) = (9999, 12, 31)
    (components.hour, components.minute, components.second) = (23, 59, 59)
    // Whole seconds: a Double this far out cannot hold microseconds (.999999 would round into year 10000).
    return calendar.date(from: components)!
  }()

  static let calendar: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
  }()

  public static func format(_ date: Date) -> String {
    let components = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    let seconds = date.timeIntervalSince1970
    var micro = Int(((seconds - seconds.rounded(.down)) * 1_000_000).rounded())
    var second = components.second ?? 0
    if micro >= 1_000_000 {
      micro -= 1_000_000
      second += 1
    }
    let base = String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d", components.year ?? 0, components.month ?? 0, components.day ?? 0,
      components.hour ?? 0, components.minute ?? 0, min(second, 59))
    return micro == 0 ? base : base + String(format: ".%06d", micro)
  }

  /// Parses what a client sends; nil when it is not a date.
  public static func parse(_ text: String) -> Date? {
    var text = text.trimmingCharacters(in: .whitespaces)
    guard text.count >= 10 else { return nil }
    var offset: TimeInterval = 0
    if text.hasSuffix("Z") || text.hasSuffix("z") {
      text.removeLast()
    } else if text.count > 19 {
      // ±HH:MM or ±HHMM after the time.
      let tail = text.suffix(6)
      if let sign = tail.first, sign == "+" || sign == "-", tail.dropFirst().contains(":") {
        let parts = tail.dropFirst().split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]) else { return nil }
        offset = Double(hours * 3600 + minutes * 60) * (sign == "+" ? 1 : -1)
        text.removeLast(6)
      }
    }
    let scalars = Array(text)
    func number(_ range: Range<Int>) -> Int? {
      guard range.upperBound <= scalars.count else { return nil }
      let slice = String(scalars[range])
      guard slice.allSatisfy(\.isNumber) else { return nil }
      return Int(slice)
    }
    guard let year = number(0..<4), scalars[4] == "-", let month = number(5..<7), scalars[7] == "-",
      let day = number(8..<10)
    else { return nil }
    var hour = 0
    var minute = 0
    var second = 0
    var fraction: Double = 0
    if scalars.count > 10 {
      guard scalars[10] == "T" || scalars[10] == " " || scalars[10] == "t", scalars.count >= 16,
        let h = number(11..<13), scalars[13] == ":", let m = number(14..<16)
      else { return nil }
      hour = h
      minute = m
      if scalars.count > 16 {
        guard scalars[16] == ":", let s = number(17..<19) else { return nil }
        second = s
        if scalars.count > 19 {
          guard scalars[19] == ".", scalars.count > 20 else { return nil }
          let digits = String(scalars[20...])
          guard digits.allSatisfy(\.isNumber), let value = Double("0." + digits) else { return nil }
          fraction = value
        }
      }
    }
    guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
      (0...60).contains(second)
    else { return nil }
    var components = DateComponents()
    (components.year, components.month, components.day) = (year, month, day)
    (components.hour, components.minute, components.second) = (hour, minute, second)
    guard let date = calendar.date(from: components),
      calendar.component(.day, from: date) == day
    else { return nil }
    return date.addingTimeInterval(fraction - offset)
  }
}
