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

  @Test func draftCloseBalanceBudgetsAndEnforcement() async throws {
    try await TestDatabases.withSQLite { database, _ in
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
      #expect(closed.finalized.map(\.invoice.id) == ["p1/2026-11"] && closed.conflicts.isEmpty)
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

  @Test func lateCorrectionNeverChangesAFinalizedInvoice() async throws {
    try await TestDatabases.withSQLite { database, _ in
      let metering = try await SQLMeteringStore.open(database)
      let service = BillingService(
        store: try await BillingStore.open(database), metering: metering, schedule: try Fixture.schedule())
      try await Self.observe(metering)
      _ = try await service.closePeriod("2026-11", now: t("2026-12-01T06:00:00Z"))
      // A late notification: s1 was actually stopped an hour earlier.
      try await metering.write { writer in
        try await writer.apply(
          Observation(
            key: ResourceKey(.server, "s1"), time: t("2026-11-05T15:30:00Z"), sourceID: "late",
            snapshot: ResourceSnapshot(
              projectID: "p1", name: "web-1", state: "stopped",
              spec: ResourceSpec(flavor: "SCS-2V-4", vcpus: 2, memoryMB: 4096, diskGB: 20), stackID: "st1")))
      }
      let result = try await service.closePeriod("2026-11", now: t("2026-12-02T06:00:00Z"))
      #expect(result.conflicts.count == 1 && result.finalized.isEmpty)
      let stored = try await service.invoice(projectID: "p1", period: "2026-11", now: t("2026-12-03T00:00:00Z"))
      #expect(stored.total.description == "17.42")
    }
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
