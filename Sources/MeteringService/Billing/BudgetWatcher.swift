import Billing
import Foundation
import Logging
import ServiceLifecycle

/// Checks budgets every `interval` while the service runs: a threshold crossed for the first time in a period
/// is recorded and notified (log and webhook) once, even with several replicas (the store's key decides).
struct BudgetWatcher: Service {
  let service: BillingService
  let interval: Duration
  let notifier: any BudgetNotifier
  let logger: Logger

  func run() async throws {
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
      do {
        let events = try await service.checkBudgets(now: Date(), notifier: notifier)
        if !events.isEmpty { logger.info("budgets: \(events.count) threshold(s) crossed") }
      } catch is CancellationError {
        return
      } catch {
        logger.error("budget check failed: \(error)")
      }
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
  }
}
