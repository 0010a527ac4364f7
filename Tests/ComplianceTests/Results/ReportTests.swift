import Foundation
import Testing
import Yams

@testable import Compliance

struct ReportTests {
  let spec = try! BuiltinSpec.load()

  func report(
    _ results: [TestcaseResult], runMessages: [LogMessage] = [], criticalOnly: Bool = false, tests: String? = nil
  )
    throws -> ComplianceReport
  {
    let selection = try CheckSelection(spec: spec, options: .init(version: "v5.1", date: "2026-11-24", tests: tests))
    let outcome = ComplianceRunner.Outcome(results: results, notImplemented: [], runMessages: runMessages)
    return ComplianceReport(
      spec: spec, selection: selection, outcome: outcome, subject: "demo", argv: ["steward", "compliance", "check"],
      assignment: ["os_cloud": "demo"], criticalOnly: criticalOnly)
  }

  @Test func targetVerdictsAsUpstream() {
    let ids = ["a", "b", "c"]
    #expect(
      TargetVerdict(version: "v", target: "main", testcaseIDs: ids, results: ["a": .pass, "b": .pass, "c": .pass])
        .outcome == .pass)
    let tentative = TargetVerdict(version: "v", target: "main", testcaseIDs: ids, results: ["a": .pass, "b": .pass])
    #expect(tentative.outcome == .tentative)
    #expect(tentative.summary == "TENTATIVE pass (2 passed, 1 missing)")
    let aborted = TargetVerdict(version: "v", target: "main", testcaseIDs: ids, results: ["a": .abort, "b": .pass])
    #expect(aborted.outcome == .fail)
    #expect(aborted.summary == "FAIL (1 passed, 1 aborted, 1 missing)")
    let failed = TargetVerdict(
      version: "v", target: "main", testcaseIDs: ids, results: ["a": .fail, "b": .abort, "c": .pass])
    #expect(failed.summary == "FAIL (1 passed, 1 failed, 1 aborted)")
  }

  @Test func exitCodeCountsCriticalErrorsAndFailures() throws {
    let results = [
      TestcaseResult(
        id: "scs-0100-syntax-check", verdict: .fail,
        messages: [.init(.error, "SCS-x: bad"), .init(.error, "SCS-y: bad")]),
      TestcaseResult(id: "scs-0114-syntax-check", verdict: .abort, messages: [.init(.warning, "ABORT: no cinder")]),
      TestcaseResult(id: "scs-0115-default-rules", verdict: .pass, messages: [.init(.info, "fine")]),
    ]
    #expect(try report(results).exitCode == 3)  // 2 error lines + 1 failed testcase; an ABORT adds nothing
    #expect(try report(results, criticalOnly: true).exitCode == 0)
    let critical = [LogMessage(.critical, "pre-flight check failed")]
    #expect(try report(results, runMessages: critical, criticalOnly: true).exitCode == 1)
    let many = (0..<200).map { TestcaseResult(id: "t\($0)", verdict: .fail) }
    #expect(try report(many).exitCode == 127)
  }

  @Test func officialYAMLHasTheUpstreamShape() throws {
    let results = [
      TestcaseResult(id: "scs-0100-syntax-check", verdict: .fail, messages: [.init(.error, "SCS-2X-4: bad name")]),
      TestcaseResult(id: "scs-0115-default-rules", verdict: .pass),
      TestcaseResult(id: "scs-0114-syntax-check", verdict: .abort, messages: [.init(.warning, "ABORT: no cinder")]),
    ]
    let text = try report(results, tests: "scs-01").officialYAML()
    #expect(text.hasPrefix("---\n"))
    let parsed = try #require(try Yams.load(yaml: text) as? [String: Any])
    #expect((parsed["spec"] as? [String: Any])?["uuid"] as? String == spec.uuid)
    #expect(parsed["subject"] as? String == "demo")
    #expect(parsed["reference_date"] is Date)
    #expect(parsed["checked_at"] is Date)
    let run = try #require(parsed["run"] as? [String: Any])
    #expect(run["forced_version"] as? String == "v5.1")
    #expect(run["forced_tests"] as? String == "scs-01")
    #expect((run["assignment"] as? [String: Any])?["os_cloud"] as? String == "demo")
    let invocations = try #require(run["invocations"] as? [String: Any])
    #expect(invocations.count == 1)
    let invocation = try #require(invocations.values.first as? [String: Any])
    let verdicts = try #require(invocation["results"] as? [String: Int])
    #expect(verdicts == ["scs-0100-syntax-check": -1, "scs-0115-default-rules": 1, "scs-0114-syntax-check": 0])
    #expect(invocation["error"] as? Int == 1)
    #expect(invocation["critical"] as? Int == 0)
    #expect((invocation["stdout"] as? [String])?.contains("scs-0100-syntax-check: FAIL") == true)
    #expect((invocation["stderr"] as? [String])?.contains("ERROR: [scs-0100-syntax-check] SCS-2X-4: bad name") == true)
    // Keys in upstream order.
    let keys = text.split(separator: "\n").filter { !$0.hasPrefix(" ") && $0.contains(":") }.map {
      $0.split(separator: ":")[0]
    }
    #expect(keys == ["spec", "checked_at", "reference_date", "subject", "run"])
  }

  @Test func tableNamesFailuresWithTheirReason() throws {
    let results = [
      TestcaseResult(
        id: "scs-0103-flavor-1v-4", verdict: .fail, messages: [.init(.error, "SCS-1V-4: scs-0103 missing")])
    ]
    let text = try report(results).table()
    #expect(text.contains("demo SCS-compatible IaaS v5.1:"))
    #expect(text.contains("- main: FAIL (0 passed, 1 failed,"))
    #expect(text.contains("    - scs-0103-flavor-1v-4\n      > SCS-1V-4: scs-0103 missing"))
    #expect(text.contains("  - MISSING:"))
  }
}
