/// The verdict of one target of one version, computed as the official runner's `print_report`:
/// FAIL when any testcase failed or aborted, TENTATIVE pass when one is missing (not run), else PASS.
public struct TargetVerdict: Sendable, Equatable {
  public enum Outcome: String, Sendable, Equatable {
    case pass = "PASS"
    case tentative = "TENTATIVE pass"
    case fail = "FAIL"
  }

  public var version: String
  public var target: String
  public var passed: [String]
  public var failed: [String]
  public var aborted: [String]
  public var missing: [String]

  public init(version: String, target: String, testcaseIDs: [String], results: [String: TestcaseVerdict]) {
    self.version = version
    self.target = target
    passed = []
    failed = []
    aborted = []
    missing = []
    for id in testcaseIDs {
      switch results[id] {
      case .pass: passed.append(id)
      case .fail: failed.append(id)
      case .abort: aborted.append(id)
      case nil: missing.append(id)
      }
    }
  }

  public var outcome: Outcome {
    if !failed.isEmpty || !aborted.isEmpty { return .fail }
    if !missing.isEmpty { return .tentative }
    return .pass
  }

  /// `FAIL (10 passed, 2 failed, 1 missing)`, worded as upstream.
  public var summary: String {
    var parts = ["\(passed.count) passed"]
    if !failed.isEmpty { parts.append("\(failed.count) failed") }
    if !aborted.isEmpty { parts.append("\(aborted.count) aborted") }
    if !missing.isEmpty { parts.append("\(missing.count) missing") }
    return "\(outcome.rawValue) (\(parts.joined(separator: ", ")))"
  }
}
