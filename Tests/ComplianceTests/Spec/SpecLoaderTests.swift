import Foundation
import Testing

@testable import Compliance

struct SpecLoaderTests {
  @Test func builtinSpecLoadsWithItsVersionsAndTargets() throws {
    let spec = try BuiltinSpec.load()
    #expect(spec.name == "SCS-compatible IaaS")
    #expect(spec.uuid == "50393e6f-2ae1-4c5c-a62c-3b75f2abef3f")
    #expect(spec.versions.map(\.name) == ["next", "v5.1", "v4", "v3"])
    let v51 = try #require(spec.version("v5.1"))
    #expect(v51.stabilizedAt == "2024-12-19")
    let main = try #require(v51.targets["main"])
    #expect(main.contains("scs-0100-syntax-check"))
    #expect(main.contains("scs-0123-service-placement"))
    #expect(main.contains("scs-0104-image-ubuntu-2404"))
    #expect(main == main.sorted())
    // The published versions include no -rec or -manual module: main is their only target.
    #expect(Array(v51.targets.keys) == ["main"])
    #expect(
      spec.modules.first { $0.id == "scs-0103-v1-rec" }?.targets["recommended"]?.contains("scs-0103-flavor-16v-128")
        == true)
    // `next` swaps scs-0123-v1 for v2: placement is gone, s3 is in.
    let next = try #require(spec.version("next"))
    #expect(next.targets["main"]?.contains("scs-0123-service-placement") == false)
    #expect(next.targets["main"]?.contains("scs-0123-service-s3") == true)
    #expect(spec.testcase("domain-manager-check")?.automated == false)
    #expect(spec.testcase("scs-0100-syntax-check")?.automated == true)
    let include = try #require(v51.includes.first { $0.module == "scs-0104-v1-2" })
    #expect(include.parameters["image_spec"]?.hasSuffix("scs-0104-v1-images-v5.yaml") == true)
  }

  @Test func validitiesFollowTheTimeline() throws {
    let spec = try BuiltinSpec.load()
    #expect(spec.validities(on: "2024-12-18").isEmpty)
    #expect(spec.validities(on: "2024-12-19") == ["v5.1": "effective", "v4": "effective", "v3": "deprecated"])
    #expect(spec.validities(on: "2025-02-01")["v4"] == "warn")
    #expect(spec.validities(on: "2026-11-24") == ["next": "draft", "v5.1": "effective"])
    #expect(spec.versionsInForce(on: "2026-11-24").map(\.name) == ["next", "v5.1"])
    #expect(spec.versionsInForce(on: "2025-07-01").map(\.name) == ["v5.1", "v4", "v3"])
  }

  static let minimal = """
    name: Tiny
    uuid: 1234
    url: https://example.org/tiny.yaml
    scripts:
    - executable: ./run.py
      testcases:
      - id: t-1
      - id: t-2
    modules:
    - id: m1
      targets:
        main: [t-1]
        recommended: [t-2]
    timeline:
    - date: 2025-01-01
      versions:
        v1: effective
    versions:
    - version: v1
      include: [m1]
    """

  @Test func minimalSpecLoads() throws {
    let spec = try SpecLoader().load(text: Self.minimal)
    #expect(spec.version("v1")?.targets == ["main": ["t-1"], "recommended": ["t-2"]])
  }

  @Test func unknownKeywordIsRejectedWithLine() {
    let text = Self.minimal.replacingOccurrences(of: "  - id: t-2", with: "  - id: t-2\n    colour: red")
    let error = #expect(throws: SpecError.self) { try SpecLoader().load(text: text, file: "tiny.yaml") }
    #expect(error?.file == "tiny.yaml")
    #expect(error?.line == 9)
    #expect(error?.message.contains("unknown keyword 'colour'") == true)
  }

  @Test func referencesMustResolve() {
    let unknownModule = Self.minimal.replacingOccurrences(of: "include: [m1]", with: "include: [m2]")
    #expect(throws: SpecError.self) { try SpecLoader().load(text: unknownModule) }
    let unknownTestcase = Self.minimal.replacingOccurrences(of: "main: [t-1]", with: "main: [t-9]")
    #expect(throws: SpecError.self) { try SpecLoader().load(text: unknownTestcase) }
    let unknownVersion = Self.minimal.replacingOccurrences(of: "v1: effective", with: "v7: effective")
    #expect(throws: SpecError.self) { try SpecLoader().load(text: unknownVersion) }
    let duplicate = Self.minimal.replacingOccurrences(of: "- id: t-2", with: "- id: t-1")
    #expect(throws: SpecError.self) { try SpecLoader().load(text: duplicate) }
    #expect(throws: SpecError.self) { try SpecLoader().load(text: "- just a list") }
  }

  @Test func builtinCopyEqualsTheReferenceFile() throws {
    // The reference copy is only there on developer machines; the built-in text must match it.
    let path = "/work/shared/reference/scs/scs-compatible-iaas.yaml"
    guard let data = FileManager.default.contents(atPath: path) else { return }
    #expect(
      String(decoding: data, as: UTF8.self) == BuiltinSpec.text + "\n"
        || String(decoding: data, as: UTF8.self) == BuiltinSpec.text)
  }
}
