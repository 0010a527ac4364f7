import Foundation
import OpenStack
import Testing

@testable import Compliance

struct PureTestcaseTests {
  static func image(_ name: String, source: String? = nil, visibility: String = "public") -> Image {
    var object: [String: Any] = ["id": UUID().uuidString, "name": name, "status": "active", "visibility": visibility]
    if let source { object["image_source"] = source }
    let data = try! JSONSerialization.data(withJSONObject: object)
    return try! JSONDecoder().decode(Image.self, from: data)
  }

  @Test func standardImageSourcesAndPresence() throws {
    let ubuntu = try #require(StandardImageSpec.known.first { $0.suffix == "ubuntu-2404" }?.spec)
    let capi = try #require(StandardImageSpec.known.first { $0.suffix == "capi-2" }?.spec)
    let lookup = StandardImageSpec.lookup([
      Self.image("Ubuntu 24.04", source: "https://cloud-images.ubuntu.com/noble/current/noble.img"),
      Self.image("ubuntu-capi-image-v1.31.4", source: "https://example.org/capi.qcow2"),
      Self.image("my ubuntu-capi-image-v1.30", source: "https://example.org/x"),
    ])
    #expect(ubuntu.matches(in: lookup).count == 1)
    #expect(ubuntu.sourceProblems(in: lookup).isEmpty)
    #expect(capi.matches(in: lookup).map(\.name) == ["ubuntu-capi-image-v1.31.4"])  // matched at the start only
    let problems = capi.sourceProblems(in: lookup)
    #expect(problems.count == 1)
    #expect(
      problems[0].hasPrefix("Image 'ubuntu-capi-image-v1.31.4' source mismatch: 'https://example.org/capi.qcow2'"))
    let debian = try #require(StandardImageSpec.known.first { $0.suffix == "debian-12" }?.spec)
    #expect(debian.matches(in: lookup).isEmpty)
    #expect(debian.sourceProblems(in: lookup).isEmpty)  // absent image: nothing to mismatch
  }

  @Test func volumeTypeAspectLists() {
    #expect(VolumeTypeAspects.aspects(of: nil) == nil)
    #expect(VolumeTypeAspects.aspects(of: "fast disks") == nil)
    #expect(VolumeTypeAspects.aspects(of: "x [scs:encrypted]") == nil)  // only at the start
    #expect(VolumeTypeAspects.aspects(of: "[scs:] nothing") == [])
    #expect(VolumeTypeAspects.aspects(of: "[scs:encrypted, replicated] LUKS on Ceph") == ["encrypted", "replicated"])
    #expect(
      VolumeTypeAspects.problems(type: "gold", aspects: ["replicated", "encrypted"]) == [
        "gold: feature list not sorted"
      ])
    #expect(
      VolumeTypeAspects.problems(type: "gold", aspects: ["encrypted", "encrypted", "fast"]) == [
        "gold: duplicate features: encrypted", "gold: unrecognized features: fast",
      ])
    let (byAspect, problems) = VolumeTypeAspects.lookup([
      ("lvm", nil), ("secure", "[scs:encrypted]"), ("bad", "[scs:replicated,encrypted]"),
    ])
    #expect(byAspect == ["encrypted": ["secure", "bad"], "replicated": ["bad"]])
    #expect(problems == ["bad: feature list not sorted"])
  }

  typealias Rule = DefaultSecurityGroupRules.Rule

  /// Neutron's shipped defaults: ingress from the group itself (default group only) and egress anywhere.
  static let neutronDefaults: [Rule] = [
    Rule(
      id: "i4", direction: "ingress", ethertype: "IPv4", remoteGroupID: "PARENT", usedInDefaultSG: true,
      usedInNonDefaultSG: false),
    Rule(
      id: "i6", direction: "ingress", ethertype: "IPv6", remoteGroupID: "PARENT", usedInDefaultSG: true,
      usedInNonDefaultSG: false),
    Rule(id: "e4", direction: "egress", ethertype: "IPv4"),
    Rule(id: "e6", direction: "egress", ethertype: "IPv6"),
  ]

  @Test func defaultSecurityGroupRules() {
    #expect(DefaultSecurityGroupRules.problems(Self.neutronDefaults).isEmpty)
    let ssh = Rule(
      id: "ssh", direction: "ingress", ethertype: "IPv4", remoteIPPrefix: "0.0.0.0/0",
      summary: "rule ssh (ingress tcp 22)")
    let open = DefaultSecurityGroupRules.problems(Self.neutronDefaults + [ssh])
    #expect(open == ["Expected no default ingress rules, found 1: rule ssh (ingress tcp 22)"])
    // PARENT ingress that also lands in custom groups is not allowed.
    let leaky = Rule(
      id: "p", direction: "ingress", ethertype: "IPv4", remoteGroupID: "PARENT", usedInNonDefaultSG: true)
    #expect(DefaultSecurityGroupRules.problems(Self.neutronDefaults + [leaky]).count == 1)
    // Egress restricted to a prefix does not count; IPv6 egress only in default groups misses custom.
    let restricted: [Rule] = [
      Rule(id: "e4", direction: "egress", ethertype: "IPv4", remoteIPPrefix: "10.0.0.0/8"),
      Rule(id: "e6", direction: "egress", ethertype: "IPv6", usedInDefaultSG: true, usedInNonDefaultSG: false),
    ]
    #expect(
      DefaultSecurityGroupRules.problems(restricted) == [
        "Expected rules for egress for IPv4 and IPv6 both for default and custom security groups. "
          + "Missing rule types: (IPv4, default), (IPv4, custom), (IPv6, custom)"
      ])
    // Old Neutron: the rules of a new group, no default/custom distinction.
    let newGroup: [Rule] = [
      Rule(id: "a", direction: "egress", ethertype: "IPv4"), Rule(id: "b", direction: "egress", ethertype: "IPv6"),
    ]
    #expect(DefaultSecurityGroupRules.problems(newGroup, short: true).isEmpty)
    #expect(DefaultSecurityGroupRules.problems(Array(newGroup.prefix(1)), short: true).count == 1)
  }

  @Test func servicePresence() {
    #expect(ServiceTestcases.missing(["compute"], in: ["compute", "identity"]) == nil)
    #expect(ServiceTestcases.missing(["volume", "volumev3", "block-storage"], in: ["volumev3"]) == nil)
    #expect(
      ServiceTestcases.missing(["volume", "volumev3", "block-storage"], in: ["compute"])
        == "No service of type(s) volume, volumev3, block-storage found.")
  }

  @Test func preflightRefusesElevatedRoles() {
    #expect(ComplianceRunner.refusal(roles: ["member", "reader"]) == nil)
    #expect(ComplianceRunner.refusal(roles: ["admin", "member", "reader"])?.contains("role(s) admin detected") == true)
    #expect(ComplianceRunner.refusal(roles: ["manager", "member"])?.contains("manager") == true)
    #expect(ComplianceRunner.refusal(roles: ["reader"])?.contains("missing the member role") == true)
  }

  @Test func flavorTestcaseIDsMatchTheSpec() throws {
    let spec = try BuiltinSpec.load()
    let registry = TestcaseRegistry.standard
    for testcase in spec.testcases
    where testcase.id.hasPrefix("scs-0103-") || testcase.id.hasPrefix("scs-0104-")
      || testcase.id.hasPrefix("scs-0100-") || testcase.id.hasPrefix("scs-0123-") || testcase.id.hasPrefix("scs-0114-")
      || testcase.id.hasPrefix("scs-0115-") || testcase.id.hasPrefix("scs-0116-") || testcase.id.hasPrefix("scs-0117-")
    {
      #expect(registry[testcase.id] != nil, "no native testcase for \(testcase.id)")
    }
  }
}
