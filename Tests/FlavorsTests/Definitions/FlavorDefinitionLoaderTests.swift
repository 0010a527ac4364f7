import Foundation
import Testing

@testable import Flavors

struct FlavorDefinitionLoaderTests {
  static func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return try String(contentsOf: url, encoding: .utf8)
  }

  @Test func readsTheSCSReferenceFileUnchanged() throws {
    let set = try FlavorDefinitionLoader.load(
      try Self.fixture("SCS-Spec.MandatoryFlavors.verbose.yaml"), file: "scs.yaml")
    #expect(set.mandatory.count == 15)
    #expect(set.recommended.count == 16)
    #expect(set.namePrefix == "SCS-")
    let flavor = try #require(set.mandatory.first { $0.name == "SCS-2V-4-20s" })
    #expect(flavor.vcpus == 2 && flavor.ramMiB == 4096 && flavor.diskGB == 20 && flavor.isPublic)
    #expect(
      flavor.extraSpecs == [
        "scs:cpu-type": "shared-core", "scs:disk0-type": "ssd", "scs:name-v1": "SCS-2V:4:20s",
        "scs:name-v2": "SCS-2V-4-20s",
      ])
    #expect(flavor.source == "scs.yaml:90")
  }

  @Test func readsTheOSISMFileUnchanged() throws {
    let set = try FlavorDefinitionLoader.load(try Self.fixture("osism-flavors.yaml"), file: "osism.yaml")
    #expect(set.mandatory.count == 30)
    #expect(set.recommended.isEmpty)
    let flavor = try #require(set.mandatory.first)
    #expect(flavor.name == "SCS-1L-1" && flavor.diskGB == 0)
    #expect(flavor.extraSpecs["hw_rng:allowed"] == "True")
  }

  /// The built-in set is the standard's own generated file, flavor for flavor.
  @Test func builtinSetEqualsTheStandardsFile() throws {
    let reference = try FlavorDefinitionLoader.load(
      try Self.fixture("SCS-Spec.MandatoryFlavors.verbose.yaml"), file: "scs.yaml")
    let builtin = BuiltinDefinitions.scs
    func strip(_ flavors: [FlavorDefinition]) -> [FlavorDefinition] {
      flavors.map {
        var copy = $0
        copy.source = nil
        return copy
      }
    }
    #expect(strip(builtin.mandatory) == strip(reference.mandatory))
    #expect(strip(builtin.recommended) == strip(reference.recommended))
    #expect(builtin.namePrefix == reference.namePrefix)
  }

  @Test func selectsRecommendedUpToTheMemoryLimit() {
    let set = BuiltinDefinitions.scs
    #expect(set.selected(recommended: false).count == 15)
    #expect(set.selected(recommended: true).count == 28)
    #expect(set.selected(recommended: true, limitMemoryGB: 128).count == 31)
  }

  @Test func badYAMLNamesFileAndLine() {
    let text = "mandatory:\n  - name: a\n    cpus: [1\n"
    #expect {
      try FlavorDefinitionLoader.load(text, file: "bad.yaml")
    } throws: { error in
      let error = error as! FlavorDefinitionError
      return error.file == "bad.yaml" && error.line != nil && error.description.hasPrefix("bad.yaml:")
        && error.message.contains("invalid YAML")
    }
  }

  @Test(arguments: [
    ("mandatory:\n  - name: x\n    cpus: 1\n", 2, "has no 'ram'"),
    ("mandatory:\n  - name: x\n    cpus: two\n    ram: 1024\n", 3, "'cpus' must be an integer"),
    ("mandatory:\n  - name: x\n    cpus: 1\n    ram: 1024\n    cpu: 2\n", 5, "unknown field 'cpu'"),
    (
      "mandatory:\n  - name: x\n    cpus: 1\n    ram: 1024\n  - name: x\n    cpus: 1\n    ram: 1024\n", 5,
      "defined twice"
    ),
    (
      "reference:\n  - field: name\n    mandatory_prefix: SCS-\nmandatory:\n  - name: x\n    cpus: 1\n    ram: 1\n", 5,
      "lacks the mandatory name prefix"
    ),
    ("mandatori: []\n", 1, "unknown section 'mandatori'"),
    ("mandatory:\n  - name: x\n    cpus: 1\n    ram: 1024\n    public: maybe\n", 5, "'public' must be true or false"),
  ])
  func invalidDefinitionsSayWhereAndWhy(text: String, line: Int, message: String) {
    do {
      _ = try FlavorDefinitionLoader.load(text, file: "f.yaml")
      Issue.record("expected an error")
    } catch {
      #expect(error.line == line)
      #expect(error.message.contains(message), "\(error)")
    }
  }

  @Test func defaultsFromTheReferenceSection() throws {
    let text = """
      reference:
        - field: public
          default: false
        - field: disk
          default: 5
      mandatory:
        - name: a
          cpus: 1
          ram: 512
          flavorid: "42"
          description: small
        - name: b
          cpus: 1
          ram: 512
          disk: 0
          public: true
      """
    let set = try FlavorDefinitionLoader.load(text, file: "f.yaml")
    #expect(set.mandatory[0].isPublic == false && set.mandatory[0].diskGB == 5)
    #expect(set.mandatory[0].id == "42" && set.mandatory[0].description == "small")
    #expect(set.mandatory[1].isPublic == true && set.mandatory[1].diskGB == 0)
  }

  @Test func definitionSourceNames() throws {
    #expect(try DefinitionSource(name: "scs", url: nil) == .scs)
    #expect(try DefinitionSource(name: "url", url: "file:///x") == .url("file:///x"))
    #expect(throws: FlavorDefinitionError.self) { try DefinitionSource(name: "url", url: nil) }
    #expect(throws: FlavorDefinitionError.self) { try DefinitionSource(name: "cloudy", url: nil) }
  }
}
