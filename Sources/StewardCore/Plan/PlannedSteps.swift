import Synchronization

/// A step of a plan: the change the operator was shown, and whatever the reconciler needs to carry it out.
public protocol PlannedStep: Sendable {
  var change: Change { get }
}

/// The steps of the last plan, shared by the copies of a reconciler value, so that `apply` carries out exactly
/// what the plan showed and refuses anything else.
public final class PlannedSteps<Step: PlannedStep>: Sendable {
  private let steps = Mutex<[String: Step]>([:])

  public init() {}

  public func store(_ planned: [Step]) {
    steps.withLock { $0 = Dictionary(planned.map { ($0.change.id, $0) }, uniquingKeysWith: { first, _ in first }) }
  }

  public func steps(for changes: [Change]) throws -> [Step] {
    try steps.withLock { stored in
      try changes.map { change in
        guard let step = stored[change.id], step.change == change else { throw UnplannedChange(change: change) }
        return step
      }
    }
  }
}

/// `apply` was given a change this reconciler did not plan.
public struct UnplannedChange: Error, CustomStringConvertible, Sendable {
  public let change: Change
  public var description: String { "change '\(change.id)' was not planned by this reconciler; plan again" }
}
