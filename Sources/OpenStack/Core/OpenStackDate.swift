import Foundation

/// Parses the timestamp spellings OpenStack services emit, which differ per service:
/// `2026-11-23T22:01:47Z` (Nova, Glance, Neutron), `…47.000000Z` (Keystone), `…47.123456+00:00` (Ironic),
/// `2026-11-23T22:01:47.000000` without a zone (Cinder, Nova's older fields: UTC by convention).
public enum OpenStackDate {
  public static func parse(_ text: String) -> Date? {
    let bytes = Array(text.utf8)
    guard bytes.count >= 19 else { return nil }
    func number(_ from: Int, _ length: Int) -> Int? {
      guard from + length <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[from..<(from + length)] {
        guard byte >= 48 && byte <= 57 else { return nil }
        value = value * 10 + Int(byte - 48)
      }
      return value
    }
    guard let year = number(0, 4), bytes[4] == 45, let month = number(5, 2), bytes[7] == 45,
      let day = number(8, 2), bytes[10] == 84 || bytes[10] == 32, let hour = number(11, 2), bytes[13] == 58,
      let minute = number(14, 2), bytes[16] == 58, let second = number(17, 2)
    else { return nil }
    var index = 19
    var fraction = 0.0
    if index < bytes.count && bytes[index] == 46 {
      index += 1
      var scale = 0.1
      while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 {
        fraction += Double(bytes[index] - 48) * scale
        scale /= 10
        index += 1
      }
    }
    var offsetSeconds = 0
    if index < bytes.count {
      switch bytes[index] {
      case 90, 122:  // Z z
        index += 1
      case 43, 45:  // + -
        let sign = bytes[index] == 43 ? 1 : -1
        guard let hours = number(index + 1, 2) else { return nil }
        var minutesStart = index + 3
        if minutesStart < bytes.count && bytes[minutesStart] == 58 { minutesStart += 1 }
        let minutes = number(minutesStart, 2) ?? 0
        offsetSeconds = sign * (hours * 3600 + minutes * 60)
        index = bytes.count
      default:
        return nil
      }
    }
    var components = DateComponents()
    components.year = year
    components.month = month
    components.day = day
    components.hour = hour
    components.minute = minute
    components.second = second
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    guard let date = calendar.date(from: components) else { return nil }
    return date.addingTimeInterval(fraction - Double(offsetSeconds))
  }

  /// The form Keystone and most services accept back: `2026-11-23T22:01:47Z`.
  public static func format(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }
}
