import Foundation

/// One billing period [start, end) in UTC, named by the month it starts in (`2026-11`). With the default cycle
/// it is the calendar month; an account with anchor day 15 has `2026-11` = 15 November to 15 December.
public struct BillingPeriod: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
  public var id: String
  public var start: Date
  public var end: Date

  public init(id: String, start: Date, end: Date) {
    self.id = id
    self.start = start
    self.end = end
  }

  public static func < (a: BillingPeriod, b: BillingPeriod) -> Bool { (a.start, a.id) < (b.start, b.id) }

  public var description: String { "\(id) (\(Self.dayFormat(start)) to \(Self.dayFormat(end)))" }

  /// Whether [start, end) has passed at `now` (only then can it be closed).
  public func hasEnded(at now: Date) -> Bool { end <= now }

  static let utc: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
  }()

  /// `2026-11-01`.
  public static func dayFormat(_ date: Date) -> String {
    let c = utc.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
  }

  /// `YYYY-MM-DD` (midnight UTC) or an ISO 8601 time with zone.
  public static func parseDay(_ text: String) -> Date? {
    let parts = text.split(separator: "-")
    if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), (1...31).contains(d)
    {
      let date = utc.date(from: DateComponents(year: y, month: m, day: d))
      // Reject 2026-02-30 rather than rolling it over to March.
      guard let date, utc.component(.day, from: date) == d else { return nil }
      return date
    }
    return try? Date(text, strategy: .iso8601)
  }
}

/// When an account's periods start: the calendar month by default, or monthly from another day (1…28, so
/// every month has it).
public struct BillingCycle: Sendable, Hashable, Codable {
  public var anchorDay: Int

  public init(anchorDay: Int = 1) throws(BillingError) {
    guard (1...28).contains(anchorDay) else {
      throw .invalidInput("billing anchor day \(anchorDay) must be between 1 and 28")
    }
    self.anchorDay = anchorDay
  }

  public static let calendarMonth = try! BillingCycle(anchorDay: 1)

  /// The period named `YYYY-MM`.
  public func period(_ id: String) throws(BillingError) -> BillingPeriod {
    let parts = id.split(separator: "-")
    guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
      let month = Int(parts[1]), (1...12).contains(month)
    else { throw .invalidPeriod("period '\(id)' is not YYYY-MM") }
    return period(year: year, month: month)
  }

  func period(year: Int, month: Int) -> BillingPeriod {
    let calendar = BillingPeriod.utc
    let start = calendar.date(from: DateComponents(year: year, month: month, day: anchorDay))!
    let end = calendar.date(byAdding: .month, value: 1, to: start)!
    return BillingPeriod(id: String(format: "%04d-%02d", year, month), start: start, end: end)
  }

  /// The period that contains `date`.
  public func period(containing date: Date) -> BillingPeriod {
    let c = BillingPeriod.utc.dateComponents([.year, .month, .day], from: date)
    var year = c.year!
    var month = c.month!
    if c.day! < anchorDay {
      month -= 1
      if month == 0 {
        month = 12
        year -= 1
      }
    }
    return period(year: year, month: month)
  }

  /// The period before `period`.
  public func previous(_ period: BillingPeriod) -> BillingPeriod {
    self.period(containing: period.start.addingTimeInterval(-1))
  }
}
