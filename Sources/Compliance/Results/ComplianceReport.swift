import Foundation
import StewardCore
import Yams

/// One run's results, rendered as the official runner's YAML report (what the SCS compliance monitor
/// reads: `spec`, `checked_at`, `reference_date`, `subject`, `run` with its invocations), as JSON with
/// the verdicts spelled out, or as a table.
public struct ComplianceReport: Sendable {
  public var spec: ComplianceSpec
  public var selection: CheckSelection
  public var outcome: ComplianceRunner.Outcome
  public var subject: String
  public var checkedAt: Date
  public var argv: [String]
  public var assignment: [String: String]
  public var criticalOnly: Bool
  public var runID: String
  public var invocationID: String

  public init(
    spec: ComplianceSpec, selection: CheckSelection, outcome: ComplianceRunner.Outcome, subject: String,
    checkedAt: Date = Date(), argv: [String] = [], assignment: [String: String] = [:], criticalOnly: Bool = false
  ) {
    self.spec = spec
    self.selection = selection
    self.outcome = outcome
    self.subject = subject
    self.checkedAt = checkedAt
    self.argv = argv
    self.assignment = assignment
    self.criticalOnly = criticalOnly
    runID = UUID().uuidString.lowercased()
    invocationID = UUID().uuidString.lowercased()
  }

  public var verdicts: [String: TestcaseVerdict] {
    Dictionary(outcome.results.map { ($0.id, $0.verdict) }, uniquingKeysWith: { first, _ in first })
  }

  /// Verdict per selected version and target, in spec order.
  public var targetVerdicts: [TargetVerdict] {
    let results = verdicts
    return selection.versions.flatMap { version in
      selection.targets.compactMap { target in
        guard let ids = version.targets[target] else { return nil }
        return TargetVerdict(version: version.name, target: target, testcaseIDs: ids, results: results)
      }
    }
  }

  // MARK: counts and exit code

  /// Every logged line, as the official runner's stderr: `LEVEL: [testcase] text`.
  public var logLines: [(level: LogMessage.Level, line: String)] {
    outcome.runMessages.map { ($0.level, $0.line) }
      + outcome.results.flatMap { result in
        result.messages.filter { $0.level >= .info }.map {
          ($0.level, "\($0.level.rawValue): [\(result.id)] \($0.text)")
        }
      }
  }

  public func count(_ level: LogMessage.Level) -> Int { logLines.filter { $0.level == level }.count }

  public var failures: Int { outcome.results.filter { $0.verdict == .fail }.count }

  /// As the official runner: `min(127, critical + errors + failed testcases)`, or only the critical count
  /// with `--critical-only` (non-zero exactly when the run could not be completed).
  public var exitCode: Int32 {
    Int32(min(127, count(.critical) + (criticalOnly ? 0 : count(.error) + failures)))
  }

  // MARK: official YAML

  public func officialYAML() -> String {
    let results = Node(
      outcome.results.map { (Node($0.id), Node(String($0.verdict.value), Tag(.int))) })
    let invocation = Node([
      (Node("id"), Node(invocationID)),
      (Node("cmd"), str(argv.isEmpty ? "steward compliance check" : argv.joined(separator: " "))),
      (Node("results"), results),
      (Node("rc"), int(outcome.runMessages.contains { $0.level == .critical } ? 1 : 0)),
      (Node("stdout"), Node(outcome.results.map { str("\($0.id): \($0.verdict.rawValue)") })),
      (Node("stderr"), Node(logLines.map { str($0.line) })),
      (Node("info"), int(count(.info))),
      (Node("warning"), int(count(.warning))),
      (Node("error"), int(count(.error))),
      (Node("critical"), int(count(.critical))),
    ])
    let document = Node([
      (
        Node("spec"),
        Node([(Node("uuid"), str(spec.uuid)), (Node("name"), str(spec.name)), (Node("url"), str(spec.url))])
      ),
      (Node("checked_at"), Node(Self.timestamp(checkedAt), Tag(.timestamp))),
      (Node("reference_date"), Node(selection.referenceDate, Tag(.timestamp))),
      (Node("subject"), str(subject)),
      (
        Node("run"),
        Node([
          (Node("uuid"), Node(runID)),
          (Node("argv"), Node(argv.map(str))),
          (Node("assignment"), Node(assignment.sorted { $0.key < $1.key }.map { (Node($0.key), str($0.value)) })),
          (Node("sections"), selection.sections.map { Node($0.map(str)) } ?? null),
          (Node("forced_version"), selection.forcedVersion.map(str) ?? null),
          (Node("forced_tests"), selection.testsPattern.map(str) ?? null),
          (Node("invocations"), Node([(Node(invocationID), invocation)])),
        ])
      ),
    ])
    let body = (try? Yams.serialize(node: document, sortKeys: false)) ?? ""
    return "---\n" + body
  }

  private var null: Node { Node("null", Tag(.null)) }
  private func int(_ value: Int) -> Node { Node(String(value), Tag(.int)) }
  /// A string that YAML would read as another type is quoted.
  private func str(_ text: String) -> Node {
    let plain = Node(text)
    let readsAsString = !text.isEmpty && Resolver.default.resolveTag(of: plain) == .str
    return Node(text, Tag(.str), readsAsString ? .any : .singleQuoted)
  }

  /// `2026-11-24 00:24:01.123456`, as PyYAML writes a naive datetime (UTC here).
  static func timestamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSS"
    return formatter.string(from: date)
  }

  // MARK: JSON and table

  public func record() -> Record {
    let byID = Dictionary(outcome.results.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let versions: [OutputValue] = targetVerdicts.map { verdict in
      .object([
        "version": .string(verdict.version), "target": .string(verdict.target),
        "verdict": .string(verdict.outcome.rawValue), "summary": .string(verdict.summary),
        "failed": .strings(verdict.failed), "aborted": .strings(verdict.aborted), "missing": .strings(verdict.missing),
      ])
    }
    let results: [OutputValue] = selection.testcaseIDs.compactMap { byID[$0] }.map { result in
      .object([
        "id": .string(result.id), "result": .string(result.verdict.rawValue),
        "duration_ms": .int(
          Int(
            result.duration.components.seconds * 1000 + result.duration.components.attoseconds / 1_000_000_000_000_000)),
        "messages": .strings(result.messages.filter { $0.level >= .info }.map(\.line)),
      ])
    }
    return [
      "spec": .string(spec.name), "subject": .string(subject), "reference_date": .string(selection.referenceDate),
      "verdicts": .list(versions), "results": .list(results),
      "not_implemented": .strings(outcome.notImplemented), "manual": .strings(selection.manualIDs),
      "run_messages": .strings(outcome.runMessages.map(\.line)), "exit_code": .int(Int(exitCode)),
    ]
  }

  public func render(_ format: OutputFormat) -> String {
    switch format {
    case .json: return Renderer.json(.object(record())) + "\n"
    case .yaml: return officialYAML()
    case .table, .value: return table()
    case .csv:
      guard case .list(let results)? = record()["results"] else { return "" }
      let rows = results.compactMap { value -> Record? in if case .object(let row) = value { row } else { nil } }
      return Renderer.list(rows, columns: ["id", "result", "duration_ms", "messages"], format: .csv)
    }
  }

  /// Per-testcase table, then the verdicts worded as the official runner prints them.
  public func table() -> String {
    let byID = Dictionary(outcome.results.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let rows: [[String]] = selection.testcaseIDs.map { id in
      guard let result = byID[id] else { return [id, "MISSING", "not implemented natively; not run"] }
      let details = result.messages.filter { $0.level >= .warning }.map(\.text)
      return [id, result.verdict.rawValue, details.joined(separator: "\n")]
    }
    var text = Renderer.table(headers: ["Testcase", "Result", "Details"], rows: rows)
    for message in outcome.runMessages { text += message.line + "\n" }
    var title = spec.name
    if let sections = selection.sections { title += " [sections: \(sections.joined(separator: ", "))]" }
    if let tests = selection.testsPattern { title += " [tests: '\(tests)']" }
    for version in selection.versions {
      text += "\(subject) \(title) \(version.name):\n"
      for verdict in targetVerdicts where verdict.version == version.name {
        text += "- \(verdict.target): \(verdict.summary)\n"
        for (ids, category) in [(verdict.failed, "FAILED"), (verdict.aborted, "ABORTED"), (verdict.missing, "MISSING")]
        {
          if ids.isEmpty || (category == "MISSING" && selection.isPartial) { continue }
          text += "  - \(category):\n"
          for id in ids {
            text += "    - \(id)\n"
            if let reason = byID[id]?.reason { text += "      > \(reason)\n" }
          }
        }
      }
    }
    return text
  }
}
