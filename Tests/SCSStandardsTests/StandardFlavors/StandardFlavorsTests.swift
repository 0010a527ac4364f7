import Testing

@testable import SCSStandards

struct StandardFlavorsTests {
  @Test func thirtyOneStandardFlavors() {
    #expect(StandardFlavors.mandatory.count == 15)
    #expect(StandardFlavors.recommended.count == 16)
    #expect(Set((StandardFlavors.mandatory + StandardFlavors.recommended).map(\.canonicalName)).count == 31)
  }

  @Test func derivedLikeTheReference() throws {
    let flavor = try #require(StandardFlavors.mandatory.first { $0.canonicalName == "SCS-2V-4-20s" })
    #expect(flavor.vcpus == 2)
    #expect(flavor.ramMiB == 4096)
    #expect(flavor.diskGB == 20)
    #expect(flavor.extraSpecKeys == ["scs:cpu-type", "scs:disk0-type", "scs:name-v1", "scs:name-v2"])
    #expect(flavor.extraSpecs["scs:name-v1"] == "SCS-2V:4:20s")
    let diskless = try #require(StandardFlavors.mandatory.first { $0.canonicalName == "SCS-1L-1" })
    #expect(diskless.diskGB == nil)
    #expect(diskless.extraSpecs["scs:cpu-type"] == "crowded-core")
  }
}
