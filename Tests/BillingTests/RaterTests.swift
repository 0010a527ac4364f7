import Billing
import Foundation
import Metering
import Testing

/// Invoices computed by hand from `Fixtures/prices.yaml`, to the cent.
@Suite struct RaterTests {
  /// The November case (period 2026-11-01 to 2026-12-01, rated on 2 December):
  /// - s1 SCS-2V-4 (in stack st1) active 3 Nov 10:00 -> 5 Nov 16:30 = 54.5 h x 0.04 = 2.18;
  ///   stopped 5 Nov 16:30 -> 10 Nov 16:30 = 120 h x 20 GiB x 0.0001 = 0.24 (disk only);
  /// - s2 custom 3 vCPU / 6 GiB / 10 GiB, active from 20 Nov, still running: 264 h up to the period end:
  ///   792 vCPU-h x 0.01 = 7.92, 1584 GiB-h x 0.005 = 7.92, 2640 GiB-h x 0.0001 = 0.264 -> 0.26;
  /// - v1 10 GiB ssd, attached to s1, 1 Nov -> 16 Nov 01:00 = 361 h: 10 x 361 / 730 x 0.20 = 0.98904 -> 0.99;
  /// - f1 floating IP, 1 Nov -> 2 Nov 12:00 = 36 h x 0.005 = 0.18;
  /// - stack st1 fee 5.00, project fee 10.00.
  /// Total 34.69; stack st1: 2.18 + 0.24 + 0.99 + 5.00 = 8.41.
  static let intervals = [
    row(
      1, .server, "s1", flavor: "SCS-2V-4", vcpus: 2, ram: 4096, disk: 20, "2026-11-03T10:00:00Z",
      "2026-11-05T16:30:00Z"),
    row(
      2, .server, "s1", state: "stopped", flavor: "SCS-2V-4", vcpus: 2, ram: 4096, disk: 20, "2026-11-05T16:30:00Z",
      "2026-11-10T16:30:00Z"),
    row(3, .server, "s2", flavor: "custom", vcpus: 3, ram: 6144, disk: 10, "2026-11-20T00:00:00Z", nil),
    row(4, .volume, "v1", state: "in-use", flavor: "ssd", disk: 10, "2026-10-20T00:00:00Z", "2026-11-16T01:00:00Z"),
    row(5, .floatingIP, "f1", state: "associated", "2026-11-01T00:00:00Z", "2026-11-02T12:00:00Z"),
    // Another project's row and a row outside the period: ignored.
    row(6, .server, "x1", project: "p2", flavor: "SCS-2V-4", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"),
    row(7, .server, "s0", flavor: "SCS-2V-4", "2026-10-01T00:00:00Z", "2026-10-31T00:00:00Z"),
  ]
  static let view = RatingView(entries: [
    entry(.server, "s1", name: "web-1", stack: "st1"), entry(.server, "s2", name: "db-1"),
    entry(.volume, "v1", name: "data", attachedTo: ["s1"]),
    entry(.stack, "st1", name: "shop", from: "2026-11-03T09:59:00Z", deleted: "2026-11-10T17:00:00Z"),
    entry(.stack, "st0", name: "old", from: "2026-09-01T00:00:00Z", deleted: "2026-10-15T00:00:00Z"),
  ])

  func novemberInvoice(now: Date = t("2026-12-02T00:00:00Z")) throws -> Invoice {
    Rater.rate(
      projectID: "p1", projectName: "Team One", period: november, intervals: Self.intervals, view: Self.view,
      schedule: try Fixture.schedule(), now: now)
  }

  @Test func handComputedNovember() throws {
    let invoice = try novemberInvoice()
    let lines = invoice.lines.map {
      "\($0.resourceID) \($0.component) \($0.quantity) \($0.unit) x \($0.unitPrice) = \($0.amount)"
    }
    #expect(
      lines == [
        "f1 floating_ip 36.000000 hour x 0.005 = 0.18",
        "p1 project_fee 1 period x 10.00 = 10.00",
        "s1 flavor 54.500000 hour x 0.0400 = 2.18",
        "s1 disk 2400.000000 GiB-hour x 0.0001 = 0.24",
        "s2 disk 2640.000000 GiB-hour x 0.0001 = 0.26",
        "s2 ram 1584.000000 GiB-hour x 0.0050 = 7.92",
        "s2 vcpu 792.000000 vCPU-hour x 0.0100 = 7.92",
        "st1 stack_fee 1 period x 5.00 = 5.00",
        "v1 volume 4.945205 GiB-month x 0.20 = 0.99",
      ])
    #expect(invoice.total.description == "34.69")
    #expect(invoice.stacks == [StackTotal(stackID: "st1", name: "shop", amount: DecimalNumber("8.41")!)])
    #expect(invoice.ratedUntil == november.end && invoice.status == .draft && invoice.currency == "EUR")
    #expect(invoice.id == "p1/2026-11" && invoice.projectName == "Team One")
    #expect(invoice.unpriced.isEmpty)
    let s1 = try #require(invoice.lines.first { $0.resourceID == "s1" && $0.component == "flavor" })
    #expect(s1.resourceName == "web-1" && s1.stackName == "shop" && s1.description == "SCS-2V-4 (active)")
    #expect(s1.from == t("2026-11-03T10:00:00Z") && s1.to == t("2026-11-05T16:30:00Z"))
    let disk = try #require(invoice.lines.first { $0.resourceID == "s1" && $0.component == "disk" })
    #expect(disk.description == "SCS-2V-4: root disk 20 GiB (stopped)")
  }

  @Test func draftCountsOpenIntervalsUpToNow() throws {
    // On 25 Nov 00:00 s2 has run 120 h: 360 vCPU-h 3.60, 720 GiB-h 3.60, 1200 GiB-h 0.12.
    let invoice = try novemberInvoice(now: t("2026-11-25T00:00:00Z"))
    #expect(invoice.ratedUntil == t("2026-11-25T00:00:00Z"))
    let s2 = invoice.lines.filter { $0.resourceID == "s2" }.map(\.amount.description)
    #expect(s2 == ["0.12", "3.60", "3.60"])
    #expect(invoice.total.description == "25.91")  // 34.69 - (7.92 + 7.92 + 0.26) + (3.60 + 3.60 + 0.12)
  }

  @Test func priceChangeMidPeriodSplitsTheLine() throws {
    // 15 Nov 00:00 -> 17 Nov 00:00: 24 h at 0.04 = 0.96 (autumn), 24 h at 0.05 = 1.20 (winter).
    let invoice = Rater.rate(
      projectID: "p1", period: november,
      intervals: [row(1, .server, "s1", flavor: "SCS-2V-4", disk: 20, "2026-11-15T00:00:00Z", "2026-11-17T00:00:00Z")],
      schedule: try Fixture.schedule("prices-change.yaml"), now: t("2026-12-05T00:00:00Z"))
    #expect(
      invoice.lines.map { "\($0.priceList) \($0.quantity) x \($0.unitPrice) = \($0.amount)" } == [
        "autumn@2026-01-01 24.000000 x 0.04 = 0.96", "winter@2026-11-16 24.000000 x 0.05 = 1.20",
      ])
    #expect(invoice.total.description == "2.16")
    #expect(invoice.priceLists == ["autumn@2026-01-01", "winter@2026-11-16"])
  }

  @Test func roundingModeComesFromThePriceList() throws {
    // 2.5 h x 0.05 = 0.125: half-even 0.12, half-up 0.13, up 0.13, down 0.12.
    for (mode, expected) in [("half-even", "0.12"), ("half-up", "0.13"), ("up", "0.13"), ("down", "0.12")] {
      let lists = try PriceListLoader.parse(
        "name: r\ncurrency: EUR\neffective_from: 2026-01-01\nrounding: {scale: 2, mode: \(mode)}\nfloating_ip: {hour: 0.05}\n",
        file: "r.yaml")
      let invoice = Rater.rate(
        projectID: "p1", period: november,
        intervals: [row(1, .floatingIP, "f", "2026-11-01T00:00:00Z", "2026-11-01T02:30:00Z")],
        schedule: try PriceSchedule(lists), now: t("2026-12-01T00:00:00Z"))
      #expect(invoice.total.description == expected, "\(mode)")
    }
  }

  @Test func unpricedFlavorsAreReportedNotSilentlyFree() throws {
    let invoice = Rater.rate(
      projectID: "p1", period: november,
      intervals: [row(1, .server, "s9", flavor: "gpu-large", vcpus: 8, "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")],
      schedule: try Fixture.schedule("prices-change.yaml"), now: t("2026-12-01T00:00:00Z"))
    #expect(invoice.lines.isEmpty)
    #expect(
      invoice.unpriced == ["server s9: flavor gpu-large has no price in autumn@2026-01-01 and no vcpu_hour fallback"])
  }

  @Test func statesThatBillNothing() throws {
    let invoice = Rater.rate(
      projectID: "p1", period: november,
      intervals: [
        row(
          1, .server, "s1", state: "building", flavor: "SCS-2V-4", disk: 20, "2026-11-01T00:00:00Z",
          "2026-11-01T00:05:00Z"),
        row(
          2, .server, "s1", state: "error", flavor: "SCS-2V-4", disk: 20, "2026-11-01T00:05:00Z", "2026-11-02T00:00:00Z"
        ),
        row(3, .volume, "v1", state: "error", disk: 100, "2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z"),
      ], schedule: try Fixture.schedule(), now: t("2026-12-01T00:00:00Z"))
    #expect(invoice.lines.map(\.component) == ["project_fee"])
  }

  @Test func imagesPerGiBMonthFromTheLedger() throws {
    // 2 GiB for 365 h: 2 x 365 / 730 = 1 GiB-month x 0.05 = 0.05. Queued and saving (no data yet) bill
    // nothing; deactivated still stores the data and bills.
    let gib: Int64 = 1_073_741_824
    let invoice = Rater.rate(
      projectID: "p1", period: november,
      intervals: [
        row(1, .image, "i1", state: "queued", "2026-11-01T00:00:00Z", "2026-11-01T00:00:01Z"),
        row(2, .image, "i1", state: "saving", "2026-11-01T00:00:01Z", "2026-11-01T00:00:02Z"),
        row(3, .image, "i1", state: "active", bytes: 2 * gib, "2026-11-01T00:00:02Z", "2026-11-11T00:00:02Z"),
        row(4, .image, "i1", state: "deactivated", bytes: 2 * gib, "2026-11-11T00:00:02Z", "2026-11-16T05:00:02Z"),
        row(5, .image, "i2", project: "p2", state: "active", bytes: gib, "2026-11-01T00:00:00Z", nil),
      ], view: RatingView(entries: [entry(.image, "i1", name: "debian-13")]), schedule: try Fixture.schedule(),
      now: t("2026-12-01T00:00:00Z"))
    let lines = invoice.lines.filter { $0.component == "image" }
    #expect(lines.count == 1, "one line per image, size and price: the states that bill merge")
    let line = try #require(lines.first)
    #expect(line.resourceKind == "image" && line.resourceID == "i1" && line.resourceName == "debian-13")
    #expect(line.description == "image 2 GiB" && line.unit == "GiB-month" && line.unitPrice.description == "0.05")
    #expect(line.quantity.description == "1.000000" && line.amount.description == "0.05")
    #expect(line.from == t("2026-11-01T00:00:02Z") && line.to == t("2026-11-16T05:00:02Z"))
    #expect(line.stackID == nil)
    #expect(invoice.total.description == "10.05", "project fee + image")
  }

  @Test func imagesAreBilledPerByte() throws {
    // 3,000,000 bytes for the whole of November (720 h) at 0.05 per GiB-month of 730 h:
    // 3e6 / 2^30 x 720 / 730 x 0.05 = 0.000137... -> 0.00 on its own; at 1,000 such images' worth
    // (3e9 bytes) 0.1377... -> 0.14. The quantity keeps six decimals, the amount is rounded once.
    let schedule = try Fixture.schedule()
    let small = Rater.rate(
      projectID: "p1", period: november,
      intervals: [row(1, .image, "i1", bytes: 3_000_000, "2026-11-01T00:00:00Z", nil)], schedule: schedule,
      now: t("2026-12-05T00:00:00Z"))
    let big = Rater.rate(
      projectID: "p1", period: november,
      intervals: [row(1, .image, "i1", bytes: 3_000_000_000, "2026-11-01T00:00:00Z", nil)], schedule: schedule,
      now: t("2026-12-05T00:00:00Z"))
    let smallLine = try #require(small.lines.first { $0.component == "image" })
    let bigLine = try #require(big.lines.first { $0.component == "image" })
    #expect(smallLine.description == "image 0.003 GiB" && smallLine.amount.description == "0.00")
    // 3e9 x 720 / (2^30 x 730) = 2.7556941... GiB-months; x 0.05 = 0.1377847... -> 0.14.
    #expect(bigLine.quantity.description == "2.755694" && bigLine.amount.description == "0.14")
    #expect(bigLine.to == t("2026-12-01T00:00:00Z"), "open interval clipped to the period")
  }

  @Test func imageStatesFollowThePriceList() throws {
    let yaml = """
      name: no-deactivated
      currency: EUR
      effective_from: 2026-01-01
      image: {gib_month: "1.00", states: {deactivated: none}}
      """
    let schedule = try PriceSchedule(try PriceListLoader.parse(yaml, file: "inline.yaml"))
    let gib: Int64 = 1_073_741_824
    let invoice = Rater.rate(
      projectID: "p1", period: november,
      intervals: [
        row(1, .image, "i1", state: "active", bytes: gib, "2026-11-01T00:00:00Z", "2026-11-01T07:18:00Z"),
        row(2, .image, "i1", state: "deactivated", bytes: gib, "2026-11-01T07:18:00Z", nil),
        row(3, .image, "i2", state: "killed", bytes: gib, "2026-11-01T00:00:00Z", nil),
      ], schedule: schedule, now: t("2026-12-01T00:00:00Z"))
    // 7.3 h of 1 GiB = 0.01 GiB-month at 1.00.
    #expect(invoice.lines.map(\.amount.description) == ["0.01"])
    #expect(invoice.lines.first?.resourceID == "i1")
  }

  @Test func reratingIsByteIdentical() throws {
    let a = try novemberInvoice().canonicalJSON()
    // Same facts in another order, rated again.
    let b = Rater.rate(
      projectID: "p1", projectName: "Team One", period: november, intervals: Self.intervals.reversed(), view: Self.view,
      schedule: try Fixture.schedule(), now: t("2026-12-09T00:00:00Z")
    ).canonicalJSON()
    #expect(a == b)
    let decoded = try Invoice.decode(canonicalJSON: a)
    #expect(decoded == (try novemberInvoice()) && decoded.canonicalJSON() == a)
    #expect(String(decoding: a, as: UTF8.self).contains(#""total":"34.69""#))
  }

  @Test func rateAllMatchesPerProjectRating() throws {
    let schedule = try Fixture.schedule()
    let now = t("2026-12-02T00:00:00Z")
    let all = Rater.rateAll(
      period: november, intervals: Self.intervals, view: Self.view, schedule: schedule, now: now, projects: ["p3"],
      projectNames: ["p1": "Team One"])
    #expect(all.map(\.projectID) == ["p1", "p2", "p3"])
    #expect(all[0] == (try novemberInvoice()))
    // p3 has an account but no usage: only the project fee.
    #expect(all[2].total.description == "10.00")
  }

  @Test func periods() throws {
    #expect(november.start == t("2026-11-01T00:00:00Z") && november.end == t("2026-12-01T00:00:00Z"))
    let cycle = try BillingCycle(anchorDay: 15)
    let period = cycle.period(containing: t("2026-01-10T00:00:00Z"))
    #expect(
      period.id == "2025-12" && period.start == t("2025-12-15T00:00:00Z") && period.end == t("2026-01-15T00:00:00Z"))
    #expect(cycle.previous(period).id == "2025-11")
    #expect(throws: BillingError.self) { try BillingCycle(anchorDay: 31) }
    #expect(throws: BillingError.self) { try BillingCycle.calendarMonth.period("2026-13") }
  }
}
