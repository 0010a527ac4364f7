/// What a manager found and intends to do. A plan with no change other than `keep` means the cloud
/// already matches, which is what a second sync must find.
public struct Plan: Sendable, Equatable {
  public var changes: [Change]

  public init(_ changes: [Change] = []) {
    self.changes = changes
  }

  /// The changes that do something.
  public var actionable: [Change] { changes.filter { $0.action != .keep } }

  public var isEmpty: Bool { actionable.isEmpty }

  public func count(_ action: Change.Action) -> Int {
    changes.filter { $0.action == action }.count
  }

  /// `2 to create, 1 to update, 0 to delete, 1 to retire, 27 unchanged`.
  public var summary: String {
    "\(count(.create)) to create, \(count(.update)) to update, \(count(.delete)) to delete, "
      + "\(count(.retire)) to retire, \(count(.keep)) unchanged"
  }

  public func records(includeUnchanged: Bool = false) -> [Record] {
    (includeUnchanged ? changes : actionable).map { change in
      [
        "action": .string(change.action.rawValue), "kind": .string(change.kind), "target": .string(change.target),
        "reason": .string(change.reason), "details": .strings(change.details),
      ]
    }
  }

  /// The plan as a table (details one per line) or JSON/YAML with a summary.
  public func render(format: OutputFormat, includeUnchanged: Bool = false) -> String {
    let rows = records(includeUnchanged: includeUnchanged)
    switch format {
    case .table, .value:
      if rows.isEmpty { return "No changes. \(summary).\n" }
      let shown = includeUnchanged ? changes : actionable
      let cells: [[String]] = shown.map { change in
        [change.action.rawValue, change.kind, change.target, change.reason, change.details.joined(separator: "\n")]
      }
      let table = Renderer.table(headers: ["Action", "Kind", "Target", "Reason", "Details"], rows: cells)
      return table + "Plan: \(summary).\n"
    case .json:
      return Renderer.json(.object(["summary": .string(summary), "changes": .list(rows.map { .object($0) })])) + "\n"
    case .yaml:
      return Renderer.yaml(.object(["summary": .string(summary), "changes": .list(rows.map { .object($0) })]))
    case .csv:
      return Renderer.list(rows, format: .csv)
    }
  }
}
