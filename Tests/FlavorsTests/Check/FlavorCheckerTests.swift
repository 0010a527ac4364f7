import SCSStandards
import Testing

@testable import Flavors

struct FlavorCheckerTests {
  /// The standard flavors exactly as sync creates them.
  static let standard: [ObservedFlavor] = (StandardFlavors.mandatory + StandardFlavors.recommended).map { flavor in
    ObservedFlavor(
      id: flavor.canonicalName, name: flavor.canonicalName, vcpus: flavor.vcpus, ramMiB: flavor.ramMiB,
      diskGB: flavor.diskGB ?? 0, extraSpecs: flavor.extraSpecs)
  }

  func result(_ flavors: [ObservedFlavor], _ check: String) -> FlavorCheckResult {
    FlavorChecker.check(flavors).first { $0.check == check }!
  }

  @Test func compliantCloudPasses() {
    let flavors = Self.standard + [ObservedFlavor(id: "x", name: "m1.tiny", vcpus: 1, ramMiB: 512, diskGB: 1)]
    let results = FlavorChecker.check(flavors)
    #expect(results.count == 3)
    #expect(results.allSatisfy { $0.passed })
    #expect(results.allSatisfy { $0.warnings.isEmpty })
  }

  @Test func invalidNameFailsSyntaxV1OnlyWarns() {
    let flavors =
      Self.standard + [
        ObservedFlavor(id: "a", name: "SCS-2X-4", vcpus: 2, ramMiB: 4096, diskGB: 0),
        ObservedFlavor(id: "b", name: "SCS-2V:4", vcpus: 2, ramMiB: 4096, diskGB: 0),
      ]
    let syntax = result(flavors, "scs-0100-syntax-check")
    #expect(!syntax.passed)
    #expect(syntax.problems.count == 1 && syntax.problems[0].contains("SCS-2X-4"))
    #expect(syntax.warnings == ["SCS-2V:4: v1 name, tolerated; its v3 name is SCS-2V-4"])
  }

  @Test func overpromiseFailsSemantics() {
    let flavors =
      Self.standard + [
        ObservedFlavor(id: "a", name: "SCS-8V-16-100", vcpus: 4, ramMiB: 16000, diskGB: 50),
        // 3.5 GiB reads as 3.5 after the reference's rounding: no overpromise.
        ObservedFlavor(id: "b", name: "SCS-1V-3.5", vcpus: 1, ramMiB: 3584, diskGB: 0),
      ]
    let semantics = result(flavors, "scs-0100-semantics-check")
    #expect(semantics.problems.count == 3)
    #expect(semantics.problems.allSatisfy { $0.hasPrefix("SCS-8V-16-100") })
  }

  @Test func missingOrWrongMandatoryFlavorFails() {
    var flavors = Self.standard.filter { $0.name != "SCS-1V-4" }
    let index = flavors.firstIndex { $0.name == "SCS-2V-4-20s" }!
    flavors[index].extraSpecs["scs:disk0-type"] = "network"
    flavors.removeAll { $0.name == "SCS-16V-128" }
    let standard = result(flavors, "scs-0103-standard-flavors")
    #expect(!standard.passed)
    #expect(standard.problems.contains("SCS-1V-4: mandatory standard flavor missing"))
    #expect(standard.problems.contains("SCS-2V-4-20s: scs:disk0-type: 'network' should be 'ssd'"))
    #expect(standard.warnings == ["SCS-16V-128: recommended standard flavor missing"])
  }

  @Test func standardFlavorFoundByItsNameSpec() {
    var flavors = Self.standard
    let index = flavors.firstIndex { $0.name == "SCS-1V-4" }!
    flavors[index].name = "provider-small"
    #expect(result(flavors, "scs-0103-standard-flavors").passed)
  }
}
