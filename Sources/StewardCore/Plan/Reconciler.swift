/// The shape every manager in Steward has: observe, plan (pure, testable without a cloud), apply.
/// The CLI prints the plan, stops there on `--dry-run`, and otherwise applies it and prints the report.
public protocol Reconciler: Sendable {
  func plan() async throws -> Plan
  func apply(_ plan: Plan) async throws -> ApplyReport
}

extension Reconciler {
  /// Plans, and applies unless `dryRun`; the report is `nil` for a dry run or an empty plan.
  public func run(dryRun: Bool) async throws -> (Plan, ApplyReport?) {
    let plan = try await plan()
    if dryRun || plan.isEmpty { return (plan, nil) }
    return (plan, try await apply(plan))
  }
}
