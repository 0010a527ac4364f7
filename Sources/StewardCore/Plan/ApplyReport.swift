/// What happened to each change of a plan when it was applied.
public struct ApplyReport: Sendable, Equatable {
  public struct Outcome: Sendable, Equatable {
    public var change: Change
    /// `nil` when the change succeeded; else why it failed.
    public var error: String?

    public init(change: Change, error: String? = nil) {
      self.change = change
      self.error = error
    }
  }

  public var outcomes: [Outcome]

  public init(_ outcomes: [Outcome] = []) {
    self.outcomes = outcomes
  }

  public var failures: [Outcome] { outcomes.filter { $0.error != nil } }
  public var succeeded: Bool { failures.isEmpty }

  public var summary: String {
    "\(outcomes.count - failures.count) applied, \(failures.count) failed"
  }

  public func render(format: OutputFormat) -> String {
    let rows: [Record] = outcomes.map { outcome in
      [
        "action": .string(outcome.change.action.rawValue), "kind": .string(outcome.change.kind),
        "target": .string(outcome.change.target), "result": .string(outcome.error == nil ? "done" : "FAILED"),
        "error": .optional(outcome.error),
      ]
    }
    switch format {
    case .table, .value:
      return (rows.isEmpty ? "" : Renderer.list(rows, format: .table)) + "Apply: \(summary).\n"
    case .json:
      return Renderer.json(.object(["summary": .string(summary), "results": .list(rows.map { .object($0) })])) + "\n"
    case .yaml:
      return Renderer.yaml(.object(["summary": .string(summary), "results": .list(rows.map { .object($0) })]))
    case .csv:
      return Renderer.list(rows, columns: ["action", "kind", "target", "result", "error"], format: .csv)
    }
  }

  /// Applies, in order, the steps whose changes `approved` contains, and stops at the first failure:
  /// for managers whose later steps need what earlier ones made (a project before its grants). The steps
  /// come from a fresh plan, so a plan printed earlier is re-checked against the cloud; the ones after a
  /// failure are reported as not attempted, so the report says exactly what exists. An approved change the fresh
  /// plan no longer has is reported as not applied (with what the fresh plan says of its target instead), never
  /// dropped silently: the operator approved it and must learn it did not happen.
  public static func inOrder<Step>(
    _ steps: [(step: Step, change: Change)], approved: Plan, perform: (Step) async throws -> Void
  ) async -> ApplyReport {
    let wanted = Set(approved.actionable.map(\.id))
    let fresh = Set(steps.map(\.change.id))
    var outcomes: [Outcome] = []
    for change in approved.actionable where !fresh.contains(change.id) {
      let now = steps.first { $0.change.kind == change.kind && $0.change.target == change.target }?.change
      outcomes.append(
        Outcome(
          change: change,
          error: "not applied: the cloud changed since the plan; "
            + (now.map { "it now plans \($0.action.rawValue) (\($0.reason))" } ?? "plan again")))
    }
    var failed = false
    for (step, change) in steps where wanted.contains(change.id) {
      if failed {
        outcomes.append(Outcome(change: change, error: "not attempted: an earlier step failed"))
        continue
      }
      do {
        try await perform(step)
        outcomes.append(Outcome(change: change))
      } catch {
        failed = true
        outcomes.append(Outcome(change: change, error: String(describing: error)))
      }
    }
    return ApplyReport(outcomes)
  }

  /// Applies steps that fall into independent groups (one flavor, one image): groups run concurrently, at most
  /// `concurrency` at a time, and `run` gets one group's steps in plan order and returns an error (or `nil`) per
  /// step, so each manager decides what a failure means for the rest of its group.
  public static func concurrentGroups<Step: PlannedStep>(
    _ steps: [Step], groupedBy key: (Step) -> String, concurrency: Int,
    run: @escaping @Sendable ([Step]) async -> [String?]
  ) async -> ApplyReport {
    var groups: [[Int]] = []
    var groupOf: [String: Int] = [:]
    for (index, step) in steps.enumerated() {
      if let group = groupOf[key(step)] {
        groups[group].append(index)
      } else {
        groupOf[key(step)] = groups.count
        groups.append([index])
      }
    }
    var errors: [Int: String] = [:]
    await withTaskGroup(of: [(Int, String?)].self) { group in
      var next = 0
      func startNext() {
        guard next < groups.count else { return }
        let members = groups[next]
        let memberSteps = members.map { steps[$0] }
        next += 1
        group.addTask { Array(zip(members, await run(memberSteps))) }
      }
      for _ in 0..<max(1, concurrency) { startNext() }
      for await outcomes in group {
        for (index, error) in outcomes { if let error { errors[index] = error } }
        startNext()
      }
    }
    return ApplyReport(steps.enumerated().map { Outcome(change: $1.change, error: errors[$0]) })
  }
}
