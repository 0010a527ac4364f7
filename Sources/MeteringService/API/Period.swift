import Foundation

/// Calendar arithmetic in UTC for billing periods and chart days.
public enum Period {
  static let calendar: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
  }()

  /// The calendar month (UTC) containing `date`.
  public static func month(containing date: Date) -> (start: Date, end: Date) {
    let start = calendar.date(from: calendar.dateComponents([.year, .month], from: date)) ?? date
    let end = calendar.date(byAdding: .month, value: 1, to: start) ?? date
    return (start, end)
  }

  public static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

  public static func days(from: Date, to: Date) -> [Date] {
    var days: [Date] = []
    var day = startOfDay(from)
    while day < to {
      days.append(day)
      guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
      day = next
    }
    return days
  }

  /// `2026-11`.
  public static func label(_ date: Date) -> String {
    let c = calendar.dateComponents([.year, .month], from: date)
    return String(format: "%04d-%02d", c.year ?? 0, c.month ?? 0)
  }
}
