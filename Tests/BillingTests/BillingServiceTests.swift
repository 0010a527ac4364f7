import Billing
import Foundation
import Metering
import StewardCore
import Storage
import StorageTestSupport
import Synchronization
import Testing

/// The service on a real database: ledger from observations (as the consumer writes it), billing beside it.
@Suite struct BillingServiceTests {
  final class Recorder: BudgetNotifier {
    let events = Mutex<[BudgetEvent]>([])
    func notify(_ event: BudgetEvent, budget: Budget) async { events.withLock { $0.append(event) } }
  }

  static func observe(_ metering: SQLMeteringStore) async throws {
    func server(_ state: String) -> ResourceSnapshot {
      ResourceSnapshot(
        projectID: "p1", name: "web-1", state: state,
        spec: ResourceSpec(flavor: "SCS-2V-4", vcpus: 2, memoryMB: 4096, diskGB: 20), stackID: "st1")
    }
    let observations = [
      Observation(
        key: ResourceKey(.stack, "st1"), time: t("2026-11-03T09:59:00Z"), sourceID: "m0",
        snapshot: ResourceSnapshot(projectID: "p1", name: "shop", state: "CREATE_COMPLETE")),
      Observation(
        key: ResourceKey(.server, "s1"), time: t("2026-11-03T10:00:00Z"), sourceID: "m1", snapshot: server("active")),
      Observation(
        key: ResourceKey(.server, "s1"), time: t("2026-11-05T16:30:00Z"), sourceID: "m2", snapshot: server("stopped")),
      Observation(key: ResourceKey(.server, "s1"), time: t("2026-11-10T16:30:00Z"), sourceID: "m3", snapshot: nil),
      Observation(key: ResourceKey(.stack, "st1"), time: t("2026-11-10T17:00:00Z"), sourceID: "m4", snapshot: nil),
      // A December server that is still running: keeps p1's December draft non-zero.
      Observation(
        key: ResourceKey(.server, "s5"), time: t("2026-12-01T00:00:00Z"), sourceID: "m5", snapshot: server("active")),
    ]
    try await metering.write { writer in
      for o in observations { try await writer.apply(o) }
    }
  }

  @Test func draftCloseBalanceBudgetsAndEnforcementOnSQLite() async throws {
    try await TestDatabases.withSQLite { database, _ in try await Self.draftCloseBalanceBudgetsAndEnforcement(database)
    }
  }

  @Test(.postgres) func draftCloseBalanceBudgetsAndEnforcementOnPostgreSQL() async throws {
    try await TestDatabases.withPostgres { database, _ in
      try await Self.draftCloseBalanceBudgetsAndEnforcement(database)
    }
  }

  static func draftCloseBalanceBudgetsAndEnforcement(_ database: any Database) async throws {
    do {
      let metering = try await SQLMeteringStore.open(database)
      let service = BillingService(
        store: try await BillingStore.open(database), metering: metering, schedule: try Fixture.schedule())
      try await Self.observe(metering)

      // November: 54.5 h x 0.04 = 2.18, 120 h x 20 GiB x 0.0001 = 0.24, stack fee 5.00, project fee 10.00.
      let draft = try await service.invoice(projectID: "p1", period: "2026-11", now: t("2026-11-20T00:00:00Z"))
      #expect(draft.status == .draft && draft.total.description == "17.42")
      #expect(draft.stacks.map(\.amount.description) == ["7.42"])

      // Not before the period ended.
      await #expect(throws: BillingError.self) {
        try await service.closePeriod("2026-11", now: t("2026-11-30T23:59:59Z"))
      }
      let closed = try await service.closePeriod("2026-11", now: t("2026-12-01T06:00:00Z"))
      #expect(closed.finalized.map(\.invoice.id) == ["p1/2026-11"] && closed.changes.isEmpty)
      #expect(closed.finalized[0].invoice.total.description == "17.42")
      let again = try await service.closePeriod("2026-11", now: t("2026-12-02T06:00:00Z"))
      #expect(again.finalized.isEmpty && again.unchanged.count == 1)
      let final = try await service.invoice(projectID: "p1", period: "2026-11", now: t("2026-12-05T00:00:00Z"))
      #expect(final.status == .final && final.canonicalJSON() == closed.finalized[0].content)

      // December so far (2 Dec 00:00): s5 24 h x 0.04 = 0.96 + project fee 10.00 = 10.96.
      let now = t("2026-12-02T00:00:00Z")
      try await service.store.addCredit(projectID: "p1", amount: Money("20.00", "EUR")!, reason: "prepaid", at: now)
      var balance = try await service.balance(projectID: "p1", now: now)
      #expect(balance.credits.description == "20.00 EUR" && balance.finalized.description == "17.42 EUR")
      #expect(balance.draft.description == "10.96 EUR" && balance.balance.description == "-8.38 EUR")
      #expect(balance.isExhausted)

      // Budget 20 EUR: 50 % (10.00) crossed, 80 % (16.00) not; recorded and notified once.
      try await service.store.save(
        budget: try Budget(projectID: "p1", amount: Money("20", "EUR")!, thresholds: [50, 80]), at: now)
      let recorder = Recorder()
      let events = try await service.checkBudgets(now: now, notifier: recorder)
      #expect(
        events.map(\.threshold) == [50] && events[0].period == "2026-12" && events[0].spent.description == "10.96 EUR")
      #expect(try await service.checkBudgets(now: t("2026-12-02T01:00:00Z"), notifier: recorder).isEmpty)
      #expect(recorder.events.withLock { $0.count } == 1)

      // Enforcement: nothing without opt-in; with shelve, the running server.
      #expect(try await service.enforcementPlan(now: now).steps.isEmpty)
      try await service.store.save(
        account: BillingAccount(projectID: "p1", enforcement: .shelve, createdAt: t("2026-10-01T00:00:00Z")))
      let (plan, steps) = try await service.enforcementPlan(now: now)
      #expect(steps.map(\.serverID) == ["s5"] && steps[0].action == .shelve)
      #expect(plan.actionable.count == 1 && plan.actionable[0].reason.contains("-8.38 EUR"))
      // Enough credit: no plan.
      try await service.store.addCredit(projectID: "p1", amount: Money("100", "EUR")!, reason: "top-up", at: now)
      balance = try await service.balance(projectID: "p1", now: now)
      #expect(balance.balance.description == "91.62 EUR")
      #expect(try await service.enforcementPlan(now: now).steps.isEmpty)
    }
  }

  /// A project with credit but no usage and no account is billed nothing: no draft carries a project fee
  /// for periods `close-period` would never finalize (the balance once charged a fee for every month back
  /// to the first price list).
  @Test func creditWithoutUsageOrAccountIsChargedNoFees() async throws {
    try await TestDatabases.withSQLite { database, _ in
      let metering = try await SQLMeteringStore.open(database)
      let service = BillingService(
        store: try await BillingStore.open(database), metering: metering, schedule: try Fixture.schedule())
      try await Self.observe(metering)
      let now = t("2026-12-02T00:00:00Z")
      try await service.store.addCredit(projectID: "p9", amount: Money("50.00", "EUR")!, reason: "welcome", at: now)
      var balance = try await service.balance(projectID: "p9", now: now)
      #expect(balance.draft.amount == .zero && balance.balance.amount == balance.credits.amount, "\(balance)")
      #expect(try await service.invoice(projectID: "p9", now: now).lines.isEmpty)
      #expect(try await service.invoice(projectID: "p9", period: "2026-11", now: now).lines.isEmpty)
      let closed = try await service.closePeriod("2026-11", now: now)
      #expect(closed.finalized.map(\.invoice.projectID) == ["p1"])

      // An account opened in December is charged December's project fee, as closing December will.
      try await service.store.save(account: BillingAccount(projectID: "p9", createdAt: t("2026-12-01T12:00:00Z")))
      balance = try await service.balance(projectID: "p9", now: now)
      #expect(balance.draft.description == "10.00 EUR" && balance.balance.description == "40.00 EUR")
      let december = try await service.closePeriod("2026-12", now: t("2027-01-01T06:00:00Z"), dryRun: true)
      #expect(december.wouldFinalize.first { $0.projectID == "p9" }?.total.description == "10.00")
    }
  }

  @Test func lateUsageIsCarriedToTheNextInvoiceOnSQLite() async throws {
    try await TestDatabases.withSQLite { database, _ in try await Self.lateUsageIsCarriedToTheNextInvoice(database) }
  }

  @Test(.postgres) func lateUsageIsCarriedToTheNextInvoiceOnPostgreSQL() async throws {
    try await TestDatabases.withPostgres { database, _ in
      try await Self.lateUsageIsCarriedToTheNextInvoice(database)
    }
  }

  /// A late notification for a closed period never changes its invoice: the difference goes on the next
  /// invoice as an adjustment line, once.
  static func lateUsageIsCarriedToTheNextInvoice(_ database: any Database) async throws {
    let metering = try await SQLMeteringStore.open(database)
    let service = BillingService(
      store: try await BillingStore.open(database), metering: metering, schedule: try Fixture.schedule())
    try await Self.observe(metering)
    let closedNovember = try await service.closePeriod("2026-11", now: t("2026-12-01T06:00:00Z"))
    #expect(closedNovember.finalized.map(\.invoice.total.description) == ["17.42"])
    // A late notification: s1 was actually stopped an hour earlier (53.5 h active: 2.14 instead of 2.18;
    // one more stopped hour of root disk changes 0.24 by less than a cent).
    try await metering.write { writer in
      try await writer.apply(
        Observation(
          key: ResourceKey(.server, "s1"), time: t("2026-11-05T15:30:00Z"), sourceID: "late",
          snapshot: ResourceSnapshot(
            projectID: "p1", name: "web-1", state: "stopped",
            spec: ResourceSpec(flavor: "SCS-2V-4", vcpus: 2, memoryMB: 4096, diskGB: 20), stackID: "st1")))
    }
    // Closing November again keeps it and says so (no error).
    let result = try await service.closePeriod("2026-11", now: t("2026-12-02T06:00:00Z"))
    #expect(result.finalized.isEmpty && result.unchanged.count == 1)
    #expect(
      result.changes.map(\.description) == [
        "2026-11 for project p1 changed by -0.04 EUR since it was finalized; the finalized invoice is kept and the "
          + "difference is carried to the next invoice"
      ])
    let stored = try await service.invoice(projectID: "p1", period: "2026-11", now: t("2026-12-03T00:00:00Z"))
    #expect(stored.total.description == "17.42" && stored.adjustmentLines.isEmpty)

    // The December draft carries it: s5 24 h (0.96) + project fee 10.00 - 0.04.
    let now = t("2026-12-02T00:00:00Z")
    let draft = try await service.invoice(projectID: "p1", now: now)
    #expect(draft.period.id == "2026-12" && draft.total.description == "10.92")
    let adjustment = try #require(draft.adjustmentLines.first)
    #expect(draft.adjustmentLines.count == 1 && adjustment.adjusts == "2026-11")
    #expect(adjustment.description == "adjustment for 2026-11: SCS-2V-4 (active)")
    #expect(adjustment.amount.description == "-0.04" && adjustment.quantity.trimmed == "-1")
    #expect(adjustment.resourceID == "s1" && adjustment.component == "flavor" && adjustment.stackID == "st1")
    #expect(draft.stacks.first { $0.stackID == "st1" }.map(\.amount.description) == "0.92")  // 0.96 - 0.04
    // Re-rating the draft is byte-identical; the balance counts the adjustment once.
    #expect(try await service.invoice(projectID: "p1", now: now).canonicalJSON() == draft.canonicalJSON())
    let balance = try await service.balance(projectID: "p1", now: now)
    #expect(balance.finalized.description == "17.42 EUR" && balance.draft.description == "10.92 EUR")

    // A dry run says what closing December would carry, and writes nothing.
    let preview = try await service.closePeriod("2026-12", now: t("2027-01-01T05:00:00Z"), dryRun: true)
    #expect(
      preview.changes.map(\.description) == [
        "2026-11 for project p1 changed by -0.04 EUR since it was finalized; would be carried to 2026-12"
      ])
    #expect(try await service.store.invoice(projectID: "p1", period: "2026-12") == nil)
    // Closing December carries it, and reports it: 744 h x 0.04 = 29.76 + 10.00 - 0.04.
    let december = try await service.closePeriod("2026-12", now: t("2027-01-01T06:00:00Z"))
    #expect(december.finalized.map(\.invoice.total.description) == ["39.72"])
    #expect(
      december.changes.map(\.description) == [
        "2026-11 for project p1 changed by -0.04 EUR since it was finalized; carried to 2026-12"
      ])
    #expect(december.finalized[0].invoice.adjustmentLines.map(\.amount.description) == ["-0.04"])
    // Carried once: January carries nothing, closing December again changes nothing.
    let january = try await service.invoice(projectID: "p1", now: t("2027-01-02T00:00:00Z"))
    #expect(january.period.id == "2027-01" && january.adjustmentLines.isEmpty)
    let again = try await service.closePeriod("2026-12", now: t("2027-01-02T06:00:00Z"))
    #expect(again.finalized.isEmpty && again.unchanged.count == 1 && again.changes.isEmpty)
    // November closed again: its change is already carried (on December), nothing more to report.
    #expect(try await service.closePeriod("2026-11", now: t("2027-01-02T06:00:00Z")).changes.isEmpty)

    // A second late change for November (the stopped server was in fact deleted a day earlier): only the new
    // difference goes on January's invoice.
    try await metering.write { writer in
      try await writer.apply(
        Observation(key: ResourceKey(.server, "s1"), time: t("2026-11-09T16:30:00Z"), sourceID: "late-2", snapshot: nil)
      )
    }
    let lateJanuary = try await service.invoice(projectID: "p1", now: t("2027-01-02T00:00:00Z"))
    #expect(
      lateJanuary.adjustmentLines.map { "\($0.adjusts ?? "") \($0.component) \($0.amount)" } == [
        "2026-11 disk -0.05"
      ])
    let closedJanuary = try await service.closePeriod("2027-01", now: t("2027-02-01T06:00:00Z"))
    #expect(closedJanuary.changes.map(\.difference.description) == ["-0.05 EUR"])
    #expect(
      try await service.invoice(projectID: "p1", now: t("2027-02-02T00:00:00Z")).adjustmentLines.isEmpty)
  }

  @Test func enforcementPlannerIsPure() {
    let accounts = [
      BillingAccount(projectID: "a", enforcement: .stop, createdAt: t("2026-01-01T00:00:00Z")),
      BillingAccount(projectID: "b", enforcement: .none, createdAt: t("2026-01-01T00:00:00Z")),
    ]
    func balance(_ p: String, _ amount: String) -> Balance {
      let m = Money(amount, "EUR")!
      return Balance(projectID: p, credits: m, finalized: .zero("EUR"), draft: .zero("EUR"), balance: m)
    }
    func server(_ id: String, _ project: String, _ state: String) -> ViewEntry {
      ViewEntry(
        key: ResourceKey(.server, id), snapshot: ResourceSnapshot(projectID: project, name: id, state: state),
        firstObserved: t("2026-11-01T00:00:00Z"), lastObserved: t("2026-11-01T00:00:00Z"), lastSourceID: "x",
        deletedAt: nil)
    }
    let servers = [server("s1", "a", "active"), server("s2", "a", "stopped"), server("s3", "b", "active")]
    let exhausted = EnforcementPlanner.plan(
      accounts: accounts, balances: ["a": balance("a", "0.00"), "b": balance("b", "-5")], servers: servers)
    #expect(exhausted.steps.map(\.serverID) == ["s1"] && exhausted.steps[0].action == .stop)
    #expect(exhausted.plan.changes.map(\.action) == [.retire, .keep])
    let funded = EnforcementPlanner.plan(accounts: accounts, balances: ["a": balance("a", "0.01")], servers: servers)
    #expect(funded.plan.changes.isEmpty)
  }

  @Test func htmlInvoiceIsSelfContained() throws {
    let invoice = Rater.rate(
      projectID: "p1", projectName: "Team <One>", period: november, intervals: RaterTests.intervals,
      view: RaterTests.view,
      schedule: try Fixture.schedule(), now: t("2026-12-02T00:00:00Z"))
    let html = InvoiceRenderer.html(invoice, issuer: ["Example Cloud GmbH", "Berlin"])
    #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("34.69") && html.contains("Subtotal Stack shop"))
    #expect(html.contains("Team &lt;One&gt;") && !html.contains("Team <One>"))
    #expect(
      !html.contains("http://") && !html.contains("https://") && !html.contains("<script") && !html.contains("<link"))
    #expect(html.contains("DRAFT"))
    let csv = Renderer.list(InvoiceRenderer.records(invoice), columns: InvoiceRenderer.lineColumns, format: .csv)
    #expect(csv.hasPrefix("Resource,Name,Stack,Description,Quantity,Unit,Unit Price,Amount,"))
    #expect(csv.contains("total,Team <One>,,draft invoice p1/2026-11,,EUR,,34.69,"))
  }

  @Test func webhookPayload() {
    let event = BudgetEvent(
      projectID: "p1", period: "2026-12", threshold: 80, budget: Money("40.00", "EUR")!, spent: Money("32.10", "EUR")!,
      recordedAt: t("2026-12-02T10:00:00Z"))
    let object = try? JSONSerialization.jsonObject(with: WebhookBudgetNotifier.payload(event)) as? [String: Any]
    #expect(object?["threshold_percent"] as? Int == 80 && object?["spent"] as? String == "32.10")
    #expect(
      object?["event"] as? String == "budget.threshold" && object?["recorded_at"] as? String == "2026-12-02T10:00:00Z")
  }
}
