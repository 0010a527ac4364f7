import Foundation
import Testing

@testable import MeteringService

@Suite struct PeriodTests {
  @Test func monthContainingADateIsTheUTCCalendarMonth() throws {
    let date = try #require(ISO8601DateFormatter().date(from: "2026-02-14T23:30:00Z"))
    let month = Period.month(containing: date)
    #expect(month.start == ISO8601DateFormatter().date(from: "2026-02-01T00:00:00Z"))
    #expect(month.end == ISO8601DateFormatter().date(from: "2026-03-01T00:00:00Z"))
    #expect(Period.label(date) == "2026-02")
    #expect(Period.days(from: month.start, to: month.end).count == 28)
  }
}
