import Testing

@testable import Compliance

struct CheckSelectionTests {
  let spec = try! BuiltinSpec.load()

  @Test func versionsInForceOnTheDateAndMainByDefault() throws {
    let selection = try CheckSelection(spec: spec, options: .init(date: "2026-11-24"))
    #expect(selection.versions.map(\.name) == ["next", "v5.1"])
    #expect(selection.targets == ["main"])
    #expect(selection.testcaseIDs.contains("scs-0123-service-placement"))  // v5.1
    #expect(selection.testcaseIDs.contains("scs-0123-service-s3"))  // next
    #expect(!selection.testcaseIDs.contains("scs-0103-flavor-16v-128"))  // recommended only
    #expect(!selection.isPartial)
  }

  static let tiny = try! SpecLoader().load(
    text: """
      name: Tiny
      uuid: 1234
      scripts:
      - executable: ./run.py
        testcases:
        - id: t-main
        - id: t-rec
      - testcases:
        - id: manual-check
      modules:
      - id: m1
        targets:
          main: [t-main]
          recommended: [t-rec]
          preview: [manual-check]
      timeline:
      - date: 2025-01-01
        versions: {v1: effective}
      versions:
      - version: v1
        include: [m1]
      - version: v0
        include: []
      """)

  @Test func forcedVersionAndTargets() throws {
    let v4 = try CheckSelection(spec: spec, options: .init(version: "v4", date: "2026-11-24"))
    #expect(v4.versions.map(\.name) == ["v4"])
    #expect(v4.testcaseIDs.contains("scs-0104-source-ubuntu-2204"))
    #expect(!v4.testcaseIDs.contains("scs-0115-default-rules"))
    let recommended = try CheckSelection(spec: Self.tiny, options: .init(date: "2026-01-01", targets: ["recommended"]))
    #expect(recommended.testcaseIDs == ["t-rec"])
    let all = try CheckSelection(spec: Self.tiny, options: .init(date: "2026-01-01", targets: ["all"]))
    #expect(all.targets == ["main", "recommended", "preview"])
    #expect(all.testcaseIDs == ["t-main", "t-rec"])
    #expect(all.manualIDs == ["manual-check"])
    let automated = try CheckSelection(
      spec: Self.tiny, options: .init(date: "2026-01-01", targets: ["all"], automate: ["manual-check"]))
    #expect(automated.testcaseIDs == ["manual-check", "t-main", "t-rec"])
    #expect(automated.manualIDs.isEmpty)
  }

  @Test func domainManagerCheckRunsBesideTheVerdictsWithAnAdminCloud() throws {
    let selection = try CheckSelection(
      spec: spec, options: .init(version: "v5.1", date: "2026-11-24", automate: ["domain-manager-check"]))
    #expect(selection.testcaseIDs.contains("domain-manager-check"))
    #expect(!selection.versions[0].targets.values.joined().contains("domain-manager-check"))
  }

  @Test func testsRegexMatchesAtTheStartLikePythonReMatch() throws {
    let selection = try CheckSelection(
      spec: spec, options: .init(version: "v5.1", date: "2026-11-24", tests: "scs-01(00|15)"))
    #expect(selection.testcaseIDs == ["scs-0100-semantics-check", "scs-0100-syntax-check", "scs-0115-default-rules"])
    #expect(selection.isPartial)
    let middle = try CheckSelection(spec: spec, options: .init(version: "v5.1", date: "2026-11-24", tests: "syntax"))
    #expect(middle.testcaseIDs.isEmpty)
  }

  @Test func sectionsFilterOnTheTestcaseSection() throws {
    // The IaaS spec gives no sections, so any section filter selects nothing, as upstream.
    let selection = try CheckSelection(
      spec: spec, options: .init(version: "v5.1", date: "2026-11-24", sections: ["flavors"]))
    #expect(selection.testcaseIDs.isEmpty)
  }

  @Test func badInputIsRejected() {
    #expect(throws: SelectionError.self) { try CheckSelection(spec: spec, options: .init(date: "2024-01-01")) }
    #expect(throws: SelectionError.self) {
      try CheckSelection(spec: spec, options: .init(version: "v9", date: "2026-11-24"))
    }
    #expect(throws: SelectionError.self) { try CheckSelection(spec: spec, options: .init(date: "24.11.2026")) }
    #expect(throws: SelectionError.self) {
      try CheckSelection(spec: spec, options: .init(date: "2026-11-24", targets: ["mian"]))
    }
    #expect(throws: SelectionError.self) {
      try CheckSelection(spec: spec, options: .init(date: "2026-11-24", tests: "("))
    }
  }
}
