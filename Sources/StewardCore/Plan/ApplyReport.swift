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
    }
  }
}
