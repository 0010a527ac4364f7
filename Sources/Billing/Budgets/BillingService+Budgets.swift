import Foundation

extension BillingService {
  /// Compares each budget with its project's spending in the running period (the draft total) and records
  /// each threshold crossed for the first time in the period, then notifies. Safe to run from cron or a loop
  /// as often as wanted, and from several replicas: the store lets exactly one record each event, and only
  /// that one notifies. Returns the new events.
  public func checkBudgets(now: Date, notifier: any BudgetNotifier) async throws -> [BudgetEvent] {
    var events: [BudgetEvent] = []
    for budget in try await store.budgets() {
      guard budget.amount.currency == schedule.currency else {
        throw BillingError.currencyMismatch(schedule.currency, budget.amount.currency)
      }
      let period = try await period(projectID: budget.projectID, id: nil, now: now)
      let spent = try await invoice(projectID: budget.projectID, period: period.id, now: now).totalMoney
      for threshold in budget.thresholds where spent.amount >= budget.limit(threshold) {
        let event = BudgetEvent(
          projectID: budget.projectID, period: period.id, threshold: threshold, budget: budget.amount, spent: spent,
          recordedAt: now)
        if try await store.record(event) {
          events.append(event)
          await notifier.notify(event, budget: budget)
        }
      }
    }
    return events
  }
}
