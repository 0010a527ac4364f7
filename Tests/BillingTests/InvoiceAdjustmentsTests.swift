import Billing
import Foundation
import Metering
import StewardCore
import Testing

/// The pure adjustment computation on the hand-computed November of `RaterTests` (total 34.69).
@Suite struct InvoiceAdjustmentsTests {
  static let december = try! BillingCycle.calendarMonth.period("2026-12")

  /// November rated from `intervals` (what was finalized, or the re-rating).
  func rated(_ intervals: [UsageInterval], status: Invoice.Status = .final) throws -> Invoice {
    Rater.rate(
      projectID: "p1", projectName: "Team One", period: november, intervals: intervals, view: RaterTests.view,
      schedule: try Fixture.schedule(), now: t("2026-12-02T00:00:00Z"), status: status)
  }

  /// The intervals without the rows of `ids`.
  func without(_ ids: Set<Int64>) -> [UsageInterval] { RaterTests.intervals.filter { !ids.contains($0.id) } }

  func describe(_ lines: [InvoiceLine]) -> [String] {
    lines.map {
      "\($0.adjusts ?? "-") \($0.resourceID) \($0.component) \($0.description) \($0.quantity.trimmed) = \($0.amount)"
    }
  }

  @Test func lateUsageIsBilledPerResourceAndComponent() throws {
    // Finalized without s2 (its notifications arrived late); the ledger now has it: 7.92 + 7.92 + 0.26.
    let finalized = try rated(without([3]))
    #expect(finalized.total.description == "18.59")
    let rerated = try rated(RaterTests.intervals, status: .draft)
    let lines = InvoiceAdjustments.lines(finalized: finalized, rerated: rerated, carried: [])
    #expect(
      describe(lines) == [
        "2026-11 s2 disk adjustment for 2026-11: custom: root disk 10 GiB (active) 2640 = 0.26",
        "2026-11 s2 ram adjustment for 2026-11: custom: 6 GiB RAM (active) 1584 = 7.92",
        "2026-11 s2 vcpu adjustment for 2026-11: custom: 3 vCPU (active) 792 = 7.92",
      ])
    #expect(lines.allSatisfy { $0.isAdjustment && $0.resourceName == "db-1" && $0.unit != "" })
    #expect(lines.reduce(DecimalNumber.zero) { $0 + $1.amount } == rerated.total - finalized.total)
    #expect(InvoiceAdjustments.totals(lines).map { "\($0.period) \($0.amount)" } == ["2026-11 16.10"])
  }

  @Test func removedUsageIsCredited() throws {
    // f1 was billed 36 h; a resync found it was never there (its rows corrected away): -0.18.
    let lines = InvoiceAdjustments.lines(
      finalized: try rated(RaterTests.intervals), rerated: try rated(without([5]), status: .draft), carried: [])
    #expect(describe(lines) == ["2026-11 f1 floating_ip adjustment for 2026-11: floating IP -36 = -0.18"])
    #expect(lines[0].amount.isNegative && lines[0].unitPrice.description == "0.005")
  }

  @Test func unchangedLedgerOrSubCentChangeGivesNothing() throws {
    let finalized = try rated(RaterTests.intervals)
    #expect(
      InvoiceAdjustments.lines(
        finalized: finalized, rerated: try rated(RaterTests.intervals, status: .draft), carried: []
      ).isEmpty)
    // s1 stopped one minute longer: 2400 -> 2400.33 GiB-hours, still 0.24: no money changed, no line.
    var intervals = RaterTests.intervals
    intervals[1] = row(
      2, .server, "s1", state: "stopped", flavor: "SCS-2V-4", vcpus: 2, ram: 4096, disk: 20, "2026-11-05T16:30:00Z",
      "2026-11-10T16:31:00Z")
    #expect(
      InvoiceAdjustments.lines(finalized: finalized, rerated: try rated(intervals, status: .draft), carried: [])
        .isEmpty)
  }

  /// December's finalized invoice: its own lines plus `adjustments`.
  func decemberInvoice(carrying adjustments: [InvoiceLine]) throws -> Invoice {
    let own = Rater.rate(
      projectID: "p1", period: Self.december,
      intervals: [row(9, .server, "s9", flavor: "SCS-2V-4", "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z")],
      view: RaterTests.view, schedule: try Fixture.schedule(), now: t("2027-01-02T00:00:00Z"), status: .final)
    return own.adding(adjustments: adjustments)
  }

  @Test func carriedOnceNeverAgain() throws {
    let finalized = try rated(without([3]))
    let rerated = try rated(RaterTests.intervals, status: .draft)
    let first = InvoiceAdjustments.lines(finalized: finalized, rerated: rerated, carried: [])
    let december = try decemberInvoice(carrying: first)
    #expect(december.total.description == "27.06")  // 0.96 + 10.00 project fee + 16.10 adjustments
    #expect(december.ownLines.count == 2 && december.adjustmentLines == first)
    // January: the same ledger, December (finalized) carried it: nothing left.
    #expect(InvoiceAdjustments.lines(finalized: finalized, rerated: rerated, carried: december.lines).isEmpty)
  }

  @Test func twoLatePeriodsCarryOnlyWhatIsNew() throws {
    let finalized = try rated(without([3]))
    // December carried s2's late usage.
    let december = try decemberInvoice(
      carrying: InvoiceAdjustments.lines(
        finalized: finalized, rerated: try rated(RaterTests.intervals, status: .draft), carried: []))
    // Then f1 was found never to have existed: January carries only that, and an unrelated October adjustment
    // on December's invoice is ignored.
    var october = december.adjustmentLines[0]
    october.adjusts = "2026-10"
    let again = try rated(without([5]), status: .draft)
    let january = InvoiceAdjustments.lines(
      finalized: finalized, rerated: again, carried: december.lines + [october])
    #expect(describe(january) == ["2026-11 f1 floating_ip adjustment for 2026-11: floating IP -36 = -0.18"])
    // Everything carried adds up to the re-rating.
    let carried = (december.adjustmentLines + january).reduce(DecimalNumber.zero) { $0 + $1.amount }
    #expect(finalized.total + carried == again.total)
  }

  @Test func adjustmentsCountInTheirStackAndAreDeterministic() throws {
    // Finalized without s1's stopped row (disk 0.24, s1 is in stack st1 "shop").
    let finalized = try rated(without([2]))
    let rerated = try rated(RaterTests.intervals, status: .draft)
    let lines = InvoiceAdjustments.lines(finalized: finalized, rerated: rerated, carried: [])
    #expect(
      describe(lines) == ["2026-11 s1 disk adjustment for 2026-11: SCS-2V-4: root disk 20 GiB (stopped) 2400 = 0.24"])
    #expect(lines[0].stackID == "st1" && lines[0].stackName == "shop")
    let december = try decemberInvoice(carrying: lines)
    #expect(december.stacks == [StackTotal(stackID: "st1", name: "shop", amount: DecimalNumber("0.24")!)])
    // The same inputs in another order: the same bytes.
    var shuffled = finalized
    shuffled.lines.reverse()
    let other = InvoiceAdjustments.lines(finalized: shuffled, rerated: rerated, carried: [])
    #expect(try decemberInvoice(carrying: other).canonicalJSON() == december.canonicalJSON())
    // An invoice without adjustments has no `adjusts` key: invoices finalized before keep their bytes.
    let json = String(decoding: rerated.canonicalJSON(), as: UTF8.self)
    #expect(!json.contains("adjusts"))
    #expect(String(decoding: december.canonicalJSON(), as: UTF8.self).contains("\"adjusts\":\"2026-11\""))
    #expect(try Invoice.decode(canonicalJSON: december.canonicalJSON()) == december)
  }

  @Test func renderersShowAdjustments() throws {
    let lines = InvoiceAdjustments.lines(
      finalized: try rated(RaterTests.intervals), rerated: try rated(without([5]), status: .draft), carried: [])
    let december = try decemberInvoice(carrying: lines)
    let html = InvoiceRenderer.html(december)
    #expect(html.contains("adjustment for 2026-11: floating IP") && html.contains("class=\"adj\""))
    #expect(html.contains("Adjustments for earlier periods") && html.contains("2026-11: -0.18"))
    let records = InvoiceRenderer.records(december)
    let csv = Renderer.list(records, columns: InvoiceRenderer.lineColumns, format: .csv)
    #expect(csv.contains("adjustment for 2026-11: floating IP") && csv.contains("adjustments/2026-11"))
  }
}
