import StewardCore

/// A plan together with the operation behind each actionable change, so applying does exactly what
/// was shown.
public struct FlavorPlan: Sendable, Equatable {
  public struct Step: PlannedStep, Equatable {
    public var change: Change
    public var operation: FlavorOperation
  }

  public var plan: Plan
  public var steps: [Step]

  public init(plan: Plan = Plan(), steps: [Step] = []) {
    self.plan = plan
    self.steps = steps
  }

  mutating func keep(_ change: Change) { plan.changes.append(change) }

  mutating func add(_ change: Change, _ operation: FlavorOperation) {
    plan.changes.append(change)
    steps.append(Step(change: change, operation: operation))
  }
}
