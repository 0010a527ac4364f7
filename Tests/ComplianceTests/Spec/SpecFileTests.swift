import Foundation
import StewardCore
import Testing

@testable import Compliance

struct SpecFileTests {
  static func path(_ name: String) throws -> String {
    try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)).path
  }

  @Test func specFileLoadsAndUnknownTestcasesStayMissing() throws {
    let spec = try SpecLoader().load(file: try Self.path("tiny-spec.yaml"))
    #expect(spec.variables == ["os_cloud"])
    let selection = try CheckSelection(spec: spec, options: .init(date: "2026-01-01"))
    #expect(selection.testcaseIDs == ["scs-0123-service-compute", "scs-0123-service-dns"])
    // Steward knows the first, not the second: that one is not run and the verdict is tentative.
    #expect(TestcaseRegistry.standard["scs-0123-service-compute"] != nil)
    #expect(TestcaseRegistry.standard["scs-0123-service-dns"] == nil)
    let outcome = ComplianceRunner.Outcome(
      results: [TestcaseResult(id: "scs-0123-service-compute", verdict: .pass)],
      notImplemented: ["scs-0123-service-dns"],
      runMessages: [])
    let report = ComplianceReport(spec: spec, selection: selection, outcome: outcome, subject: "tiny")
    #expect(report.targetVerdicts.map(\.summary) == ["TENTATIVE pass (1 passed, 1 missing)"])
    #expect(report.exitCode == 0)
    #expect(report.table().contains("| scs-0123-service-dns     | MISSING | not implemented natively; not run |"))
    let json = report.render(.json)
    #expect(json.contains("\"not_implemented\": [\n    \"scs-0123-service-dns\"\n  ]"))
    #expect(json.contains("\"verdict\": \"TENTATIVE pass\""))
  }

  @Test func missingFileIsNamed() {
    let error = #expect(throws: SpecError.self) { try SpecLoader().load(file: "/nonexistent/spec.yaml") }
    #expect(error?.description == "/nonexistent/spec.yaml: cannot read the spec file")
  }

  /// Every testcase of the built-in spec's scs-0102 module has a native implementation.
  @Test func everyImageMetadataTestcaseIsNative() throws {
    let spec = try BuiltinSpec.load()
    let ids = spec.testcases.map(\.id).filter { $0.hasPrefix("scs-0102-") }
    #expect(ids.count >= 20)
    for id in ids { #expect(TestcaseRegistry.standard[id] != nil, "\(id) is not implemented") }
  }
}
