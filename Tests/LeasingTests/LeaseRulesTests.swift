import Foundation
import Testing

@testable import Leasing

@Suite("Lease rules and dates")
struct LeaseRulesTests {
  let t0 = Date(timeIntervalSince1970: 1_900_000_000)
  func at(_ hours: Double) -> Date { t0.addingTimeInterval(hours * 3600) }

  func offer(_ start: Double, _ end: Double) -> Offer {
    Offer(projectID: "o", resourceType: "dummy_node", resourceUUID: "n", startTime: at(start), endTime: at(end))
  }

  func lease(_ start: Double, _ end: Double, _ status: LeaseStatus = .created) -> Lease {
    Lease(
      projectID: "l", ownerID: "o", resourceType: "dummy_node", resourceUUID: "n", startTime: at(start),
      endTime: at(end), status: status)
  }

  @Test func windowsAreHalfOpen() {
    let a = TimeWindow(start: at(0), end: at(2))
    #expect(!a.overlaps(TimeWindow(start: at(2), end: at(3))))
    #expect(a.overlaps(TimeWindow(start: at(1), end: at(3))))
    #expect(a.contains(TimeWindow(start: at(0), end: at(2))))
    #expect(!a.contains(TimeWindow(start: at(-1), end: at(1))))
  }

  @Test func claimsStayInsideTheOfferAndDoNotOverlap() throws {
    let offer = offer(0, 10)
    try LeaseRules.checkClaim(TimeWindow(start: at(1), end: at(2)), offer: offer, existing: [lease(2, 3)])
    #expect(throws: LeasingError.self) {
      try LeaseRules.checkClaim(TimeWindow(start: at(9), end: at(11)), offer: offer, existing: [])
    }
    #expect(throws: LeasingError.self) {
      try LeaseRules.checkClaim(TimeWindow(start: at(2), end: at(4)), offer: offer, existing: [lease(3, 5)])
    }
    // Ended and cancelled leases free their time.
    try LeaseRules.checkClaim(TimeWindow(start: at(3), end: at(5)), offer: offer, existing: [lease(3, 5, .expired)])
    #expect(throws: LeasingError.self) {
      try LeaseRules.checkClaim(TimeWindow(start: at(5), end: at(3)), offer: offer, existing: [])
    }
  }

  @Test func availabilitiesAreTheGapsFromNow() {
    let gaps = LeaseRules.availabilities(of: offer(0, 10), leases: [lease(2, 3), lease(5, 6)], now: at(1))
    #expect(
      gaps == [
        TimeWindow(start: at(1), end: at(2)), TimeWindow(start: at(3), end: at(5)),
        TimeWindow(start: at(6), end: at(10)),
      ])
    #expect(LeaseRules.availabilities(of: offer(0, 10), leases: [lease(0, 10)], now: at(1)).isEmpty)
  }

  @Test func sublessesMustFitTheirParent() throws {
    var parent = lease(0, 10, .active)
    try LeaseRules.checkChild(TimeWindow(start: at(1), end: at(9)), parent: parent, type: "dummy_node", uuid: "n")
    #expect(throws: LeasingError.self) {
      try LeaseRules.checkChild(TimeWindow(start: at(1), end: at(11)), parent: parent, type: "dummy_node", uuid: "n")
    }
    parent.parentLeaseUUID = "grandparent"
    #expect(throws: LeasingError.self) {
      try LeaseRules.checkChild(TimeWindow(start: at(1), end: at(2)), parent: parent, type: "dummy_node", uuid: "n")
    }
  }

  @Test func datesParseAndFormatLikeEsiLeap() throws {
    let date = try #require(LeasingDate.parse("2026-01-31T12:00:00"))
    #expect(LeasingDate.format(date) == "2026-01-31T12:00:00")
    #expect(LeasingDate.parse("2026-01-31T12:00:00Z") == date)
    #expect(LeasingDate.parse("2026-01-31 14:00:00+02:00") == date)
    #expect(LeasingDate.parse("2026-01-31T12:00") == date)
    #expect(
      LeasingDate.format(try #require(LeasingDate.parse("2026-01-31T12:00:00.250000"))) == "2026-01-31T12:00:00.250000")
    #expect(LeasingDate.parse("2026-01-31") == LeasingDate.parse("2026-01-31T00:00:00"))
    for bad in ["", "tomorrow", "2026-13-01", "2026-02-30T00:00:00", "2026-01-31T25:00:00", "2026-01-31Tx"] {
      #expect(LeasingDate.parse(bad) == nil, "\(bad)")
    }
    #expect(LeasingDate.format(LeasingDate.distantEnd).hasPrefix("9999-12-31T23:59:59"))
  }
}
