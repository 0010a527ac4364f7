import Billing
import Foundation
import Metering
import Storage
import StorageTestSupport
import Testing

/// Image charges come from the metering ledger: every billing path (draft, close-period, balance) rates the
/// image intervals the consumer or a resync wrote, with the image's name from the view.
@Suite struct ImageBillingTests {
  static let gib: Int64 = 1_073_741_824

  static func observe(_ metering: some MeteringStore) async throws {
    func image(_ state: String, _ bytes: Int64?) -> ResourceSnapshot {
      ResourceSnapshot(projectID: "p1", name: "ubuntu-24.04", state: state, spec: ResourceSpec(sizeBytes: bytes))
    }
    let key = ResourceKey(.image, "img1")
    let observations = [
      Observation(key: key, time: t("2026-11-02T00:00:00Z"), sourceID: "g1", snapshot: image("queued", nil)),
      Observation(key: key, time: t("2026-11-02T00:00:05Z"), sourceID: "g2", snapshot: image("saving", nil)),
      Observation(key: key, time: t("2026-11-02T00:01:00Z"), sourceID: "g3", snapshot: image("active", 4 * gib)),
      Observation(key: key, time: t("2026-11-17T06:31:00Z"), sourceID: "g4", snapshot: nil),
    ]
    try await metering.write { writer in
      for o in observations { try await writer.apply(o) }
    }
  }

  static func check(_ database: any Database) async throws {
    let metering = try await SQLMeteringStore.open(database)
    let service = BillingService(
      store: try await BillingStore.open(database), metering: metering, schedule: try Fixture.schedule())
    try await observe(metering)
    let period = try await service.period(projectID: "p1", id: "2026-11", now: t("2026-12-01T06:00:00Z"))
    let draft = try await service.draft(projectID: "p1", period: period, now: t("2026-12-01T06:00:00Z"))
    // 4 GiB from 2026-11-02T00:01 to 2026-11-17T06:31: 366.5 h; 4 x 366.5 / 730 = 2.008219... GiB-months
    // x 0.05 = 0.100410... -> 0.10; project fee 10.00.
    let line = try #require(draft.lines.first { $0.resourceKind == "image" })
    #expect(line.resourceID == "img1" && line.resourceName == "ubuntu-24.04" && line.description == "image 4 GiB")
    #expect(line.quantity.description == "2.008219" && line.unitPrice.description == "0.05")
    #expect(line.amount.description == "0.10" && line.unit == "GiB-month")
    #expect(line.from == t("2026-11-02T00:01:00Z") && line.to == t("2026-11-17T06:31:00Z"))
    #expect(draft.total.description == "10.10")

    let closed = try await service.closePeriod("2026-11", now: t("2026-12-01T06:00:00Z"))
    let invoice = try #require(closed.finalized.first { $0.invoice.projectID == "p1" }?.invoice)
    #expect(invoice.lines.filter { $0.resourceKind == "image" } == [line], "close-period rates the same line")
    #expect(invoice.total == draft.total)
    let balance = try await service.balance(projectID: "p1", now: t("2026-12-01T06:00:00Z"))
    #expect(balance.finalized.amount.description == "10.10")
  }

  @Test func sqlite() async throws {
    try await TestDatabases.withSQLite { database, _ in try await Self.check(database) }
  }

  @Test(.postgres) func postgres() async throws {
    try await TestDatabases.withPostgres { database, _ in try await Self.check(database) }
  }

  @Test func priceListImageStates() throws {
    let lists = try PriceListLoader.parse(
      "name: x\ncurrency: EUR\neffective_from: 2026-01-01\nimage: {gib_month: \"0.05\", states: {deactivated: none}}\n",
      file: "x.yaml")
    #expect(lists[0].imageGiBMonth?.description == "0.05")
    #expect(lists[0].imageStates.charge("deactivated") == .none && lists[0].imageStates.charge("active") == .full)
    #expect(lists[0].imageStates.charge("queued") == .none, "the defaults stay for states not named")
    #expect(throws: BillingError.self) {
      try PriceListLoader.parse(
        "name: x\ncurrency: EUR\neffective_from: 2026-01-01\nimage: {gib_month: \"0.05\", size: 3}\n", file: "x.yaml")
    }
  }
}
