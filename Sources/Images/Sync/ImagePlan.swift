import StewardCore

/// A plan with the operation behind each actionable change, grouped by definition: the steps of one
/// image run in order (import, then rename, then rotation), different images run concurrently.
public struct ImagePlan: Sendable, Equatable {
  public struct Step: PlannedStep, Equatable {
    public var change: Change
    public var operation: ImageOperation
    /// The definition the step belongs to; steps of one definition never overlap.
    public var group: String
  }

  public var plan: Plan
  public var steps: [Step]

  public init(plan: Plan = Plan(), steps: [Step] = []) {
    self.plan = plan
    self.steps = steps
  }

  mutating func keep(_ change: Change) { plan.changes.append(change) }

  mutating func add(_ change: Change, _ operation: ImageOperation, group: String) {
    plan.changes.append(change)
    steps.append(Step(change: change, operation: operation, group: group))
  }

  public var imports: [ImportJob] {
    steps.compactMap { if case .importImage(let job) = $0.operation { return job } else { return nil } }
  }
}
