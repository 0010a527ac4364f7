import Foundation
import Metering
import StewardCore

/// One server to stop or shelve because its project's credit is exhausted.
public struct EnforcementStep: PlannedStep, Equatable {
  public var projectID: String
  public var serverID: String
  public var action: EnforcementPolicy
  public var change: Change
}

/// Turns balances into the plan `steward billing enforce` prints and, only with `--apply`, carries out. Only
/// accounts that opted in (`enforcement: stop|shelve`) are considered; a project with credit left, or without
/// an account, is never touched. Pure.
public enum EnforcementPlanner {
  /// Server states each action applies to; others are already off (or cannot take the action) and are kept.
  static let applicable: [EnforcementPolicy: Set<String>] = [
    .stop: ["active", "paused", "suspended", "rescued"],
    .shelve: ["active", "stopped", "paused", "suspended"],
  ]

  /// `servers`: live server entries of metering's view (state and project from their snapshot).
  public static func plan(accounts: [BillingAccount], balances: [String: Balance], servers: [ViewEntry])
    -> (plan: Plan, steps: [EnforcementStep])
  {
    var changes: [Change] = []
    var steps: [EnforcementStep] = []
    let byProject = Dictionary(grouping: servers.filter(\.isLive)) { $0.snapshot?.projectID ?? "" }
    for account in accounts.sorted(by: { $0.projectID < $1.projectID }) where account.enforcement != .none {
      guard let balance = balances[account.projectID], balance.isExhausted else { continue }
      let reason = "credit exhausted: balance \(balance.balance) (policy \(account.enforcement.rawValue))"
      for server in (byProject[account.projectID] ?? []).sorted(by: { $0.key.id < $1.key.id }) {
        let state = server.snapshot?.state ?? "unknown"
        let name = server.snapshot?.name.map { "\($0) (\(server.key.id))" } ?? server.key.id
        let target = "\(account.projectID)/\(name)"
        guard applicable[account.enforcement]?.contains(state) == true else {
          changes.append(
            Change(
              .keep, kind: "server", target: target, reason: "\(state): nothing to \(account.enforcement.rawValue)"))
          continue
        }
        let change = Change(
          .retire, kind: "server", target: target, reason: reason,
          details: [
            "\(account.enforcement.rawValue): \(state) -> \(account.enforcement == .stop ? "stopped" : "shelved")"
          ])
        changes.append(change)
        steps.append(
          EnforcementStep(
            projectID: account.projectID, serverID: server.key.id, action: account.enforcement, change: change))
      }
    }
    return (Plan(changes), steps)
  }
}
