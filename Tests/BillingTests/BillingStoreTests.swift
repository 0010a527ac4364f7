import Billing
import Foundation
import Metering
import Storage
import StorageTestSupport
import Testing

@Suite struct BillingStoreTests {
  static func run(_ database: any Database) async throws {
    let store = try await BillingStore.open(database)
    // Opening twice applies nothing new.
    _ = try await BillingStore.open(database)
    let now = t("2026-12-02T00:00:00Z")

    let account = try await store.save(
      account: BillingAccount(
        projectID: "p1", name: "Team One", enforcement: .shelve, createdAt: t("2026-10-01T00:00:00Z")))
    #expect(account.enforcement == .shelve && account.cycle == .calendarMonth)
    var changed = account
    changed.cycle = try BillingCycle(anchorDay: 15)
    changed.createdAt = now
    let saved = try await store.save(account: changed)
    #expect(saved.cycle.anchorDay == 15 && saved.createdAt == t("2026-10-01T00:00:00Z"))
    #expect(try await store.accounts().map(\.projectID) == ["p1"])

    // Finalize: stored once, same bytes again is a no-op, different content refused.
    let invoice = Rater.rate(
      projectID: "p1", period: november, intervals: RaterTests.intervals, view: RaterTests.view,
      schedule: try Fixture.schedule(), now: now)
    let stored = try await store.finalize(invoice, at: now)
    #expect(stored.invoice.status == .final && stored.invoice.total.description == "34.69")
    let again = try await store.finalize(invoice, at: t("2026-12-03T00:00:00Z"))
    #expect(again.finalizedAt == now && again.content == stored.content)
    var other = invoice
    other.lines.removeLast()
    let changedInvoice = Invoice(
      projectID: "p1", period: november, currency: "EUR", status: .draft, ratedUntil: november.end,
      priceLists: invoice.priceLists, lines: other.lines)
    await #expect(throws: BillingError.self) { try await store.finalize(changedInvoice, at: now) }
    let read = try #require(try await store.invoice(projectID: "p1", period: "2026-11"))
    #expect(read.content == stored.content && read.invoice == stored.invoice)
    #expect(try await store.finalizedTotals(projectID: "p1") == ["EUR": DecimalNumber("34.69")!])

    // The database itself refuses to change or delete a finalized invoice or a credit.
    await #expect(throws: (any Error).self) {
      try await database.write { try await $0.execute("UPDATE billing_invoices SET total = '0.00'") }
    }
    await #expect(throws: (any Error).self) {
      try await database.write { try await $0.execute("DELETE FROM billing_invoices") }
    }
    #expect(try await store.invoice(projectID: "p1", period: "2026-11")?.invoice.total.description == "34.69")

    // Credits keep their exact amount; append-only.
    try await store.addCredit(projectID: "p1", amount: Money("50.00", "EUR")!, reason: "prepaid", at: now)
    try await store.addCredit(projectID: "p1", amount: Money("-0.01", "EUR")!, reason: "correction", at: now)
    await #expect(throws: BillingError.self) {
      try await store.addCredit(projectID: "p1", amount: Money("0", "EUR")!, reason: "nothing", at: now)
    }
    let credits = try await store.credits(projectID: "p1")
    #expect(credits.map(\.amount.description) == ["50.00 EUR", "-0.01 EUR"])
    await #expect(throws: (any Error).self) {
      try await database.write { try await $0.execute("UPDATE billing_credits SET amount = '1000'") }
    }

    // Budgets and events recorded once per project, period and threshold.
    try await store.save(
      budget: try Budget(
        projectID: "p1", amount: Money("40", "EUR")!, thresholds: [80, 50, 100], webhookURL: "http://127.0.0.1:9/x"),
      at: now)
    let budget = try #require(try await store.budgets(projectID: "p1").first)
    #expect(budget.thresholds == [50, 80, 100] && budget.amount.description == "40 EUR")
    #expect(budget.limit(80).description == "32.00")
    let event = BudgetEvent(
      projectID: "p1", period: "2026-11", threshold: 80, budget: budget.amount, spent: Money("34.69", "EUR")!,
      recordedAt: now)
    #expect(try await store.record(event))
    #expect(!(try await store.record(event)))
    #expect(try await store.budgetEvents(projectID: "p1").map(\.spent.description) == ["34.69 EUR"])

    // Removing an account: refused once it has history, complete (budget and events too) while it has none.
    await #expect(throws: BillingError.self) { try await store.removeAccount(projectID: "p1") }
    #expect(try await store.account(projectID: "p1") != nil)
    try await store.save(account: BillingAccount(projectID: "p2", name: "Team Two", createdAt: now))
    try await store.save(budget: try Budget(projectID: "p2", amount: Money("10", "EUR")!), at: now)
    #expect(
      try await store.record(
        BudgetEvent(
          projectID: "p2", period: "2026-11", threshold: 100, budget: Money("10", "EUR")!,
          spent: Money("11", "EUR")!, recordedAt: now)))
    #expect(try await store.removeAccount(projectID: "p2"))
    #expect(try await store.account(projectID: "p2") == nil)
    #expect(try await store.budgets(projectID: "p2").isEmpty)
    #expect(try await store.budgetEvents(projectID: "p2").isEmpty)
    #expect(!(try await store.removeAccount(projectID: "p2")))
    #expect(try await store.accounts().map(\.projectID) == ["p1"])
  }

  @Test func sqlite() async throws {
    try await TestDatabases.withSQLite { database, _ in try await Self.run(database) }
  }

  @Test(.postgres) func postgres() async throws {
    try await TestDatabases.withPostgres { database, _ in try await Self.run(database) }
  }

  @Test func budgetValidation() {
    #expect(throws: BillingError.self) { try Budget(projectID: "p", amount: Money("0", "EUR")!) }
    #expect(throws: BillingError.self) { try Budget(projectID: "p", amount: Money("10", "EUR")!, thresholds: [0]) }
    #expect(throws: BillingError.self) {
      try Budget(projectID: "p", amount: Money("10", "EUR")!, webhookURL: "ftp://x")
    }
  }
}
