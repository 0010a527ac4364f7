import Foundation

/// Parses the timestamp spellings OpenStack services put into notifications, all UTC unless an offset
/// says otherwise: oslo's `2012-05-08 20:23:48.028195` (str(datetime.utcnow())), ISO 8601
/// `2013-01-04T15:10:14.923939`, `2012-10-29T13:42:11Z`, `…+00:00`. Hand-written because
/// DateFormatter is slow and not meant for concurrent use, and the consumer parses thousands per second.
enum NotificationTimestamp {
  static func parse(_ text: String) -> Date? {
    let b = Array(text.utf8)
    guard b.count >= 19 else { return nil }
    func digits(_ from: Int, _ count: Int) -> Int? {
      var v = 0
      for i in from..<(from + count) {
        guard i < b.count, b[i] >= 48, b[i] <= 57 else { return nil }
        v = v * 10 + Int(b[i] - 48)
      }
      return v
    }
    guard let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45, let day = digits(8, 2),
      b[10] == 84 || b[10] == 32 || b[10] == 116, let hour = digits(11, 2), b[13] == 58, let minute = digits(14, 2),
      b[16] == 58, let second = digits(17, 2),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    var i = 19
    var fraction = 0.0
    if i < b.count, b[i] == 46 || b[i] == 44 {
      i += 1
      var scale = 0.1
      let start = i
      while i < b.count, b[i] >= 48, b[i] <= 57 {
        fraction += Double(b[i] - 48) * scale
        scale /= 10
        i += 1
      }
      guard i > start else { return nil }
    }
    var offset = 0
    if i < b.count {
      if b[i] == 90 || b[i] == 122 {  // Z
        i += 1
      } else if b[i] == 43 || b[i] == 45 {  // + or -
        let sign = b[i] == 45 ? -1 : 1
        guard let oh = digits(i + 1, 2) else { return nil }
        var j = i + 3
        if j < b.count, b[j] == 58 { j += 1 }
        guard let om = digits(j, 2) else { return nil }
        offset = sign * (oh * 3600 + om * 60)
        i = j + 2
      }
      guard i == b.count else { return nil }
    }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
    return Date(timeIntervalSince1970: Double(seconds) + fraction)
  }

  /// Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }
}
