import Foundation
import Metering
import OpenStack
import StewardCore

extension BillingService {
  /// The enforcement plan for every opted-in account, from balances at `now` and metering's live servers.
  public func enforcementPlan(now: Date) async throws -> (plan: Plan, steps: [EnforcementStep]) {
    let accounts = try await store.accounts().filter { $0.enforcement != .none }
    var balances: [String: Balance] = [:]
    for account in accounts { balances[account.projectID] = try await balance(projectID: account.projectID, now: now) }
    var servers: [ViewEntry] = []
    for account in accounts {
      servers += try await metering.read {
        try await $0.viewEntries(kind: .server, projectID: account.projectID, includeDeleted: false)
      }
    }
    return EnforcementPlanner.plan(accounts: accounts, balances: balances, servers: servers)
  }

  /// Stops or shelves the planned servers through Nova (admin session: the servers are other projects'),
  /// one after another; a failure is reported for its server and the others still run. Does not wait for
  /// the servers to reach their new state: metering records it from the notifications.
  public static func applyEnforcement(_ steps: [EnforcementStep], session: Session) async -> ApplyReport {
    var outcomes: [ApplyReport.Outcome] = []
    let servers: ServersAPI
    do {
      servers = try await session.compute().servers
    } catch {
      return ApplyReport(steps.map { ApplyReport.Outcome(change: $0.change, error: "\(error)") })
    }
    for step in steps {
      do {
        try await servers.perform(step.action == .stop ? .stop : .shelve, on: step.serverID)
        outcomes.append(ApplyReport.Outcome(change: step.change))
      } catch {
        outcomes.append(ApplyReport.Outcome(change: step.change, error: "\(error)"))
      }
    }
    return ApplyReport(outcomes)
  }
}
