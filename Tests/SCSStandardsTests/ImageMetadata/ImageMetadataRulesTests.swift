import Foundation
import SCSStandards
import Testing

@Suite("scs-0102 image metadata rules")
struct ImageMetadataRulesTests {
  static let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!

  static func image(
    _ changes: [String: String?] = [:], name: String = "Debian 12", createdAt: String = "2026-05-20T10:00:00Z"
  )
    -> ImageMetadataRecord
  {
    var properties = [
      "architecture": "x86_64", "hypervisor_type": "qemu", "hw_disk_bus": "scsi", "hw_rng_model": "virtio",
      "os_distro": "debian", "os_version": "12", "os_purpose": "generic", "replace_frequency": "quarterly",
      "uuid_validity": "last-3", "provided_until": "none", "image_source": "https://cloud.debian.org/x.qcow2",
      "image_build_date": "2026-05-19", "image_original_user": "debian", "image_description": "Debian 12",
      "hotfix_hours": "0",
    ]
    for (key, value) in changes { properties[key] = value }
    return ImageMetadataRecord(
      name: name, createdAt: createdAt, size: 300 << 20, minDisk: 8, minRAM: 512, hashAlgorithm: "sha512",
      properties: properties)
  }

  static func failed(_ images: [ImageMetadataRecord]) -> [String] {
    ImageMetadataRules.checkAll(images, now: now).filter { !$0.passed }.map(\.id)
  }

  @Test func aCompleteImagePassesEveryCheck() {
    #expect(Self.failed([Self.image()]) == [])
    #expect(ImageMetadataRules.checkAll([Self.image()], now: Self.now).count == 20)
  }

  @Test func wrongOrMissingPropertiesFailTheirCheck() {
    #expect(Self.failed([Self.image(["architecture": "amd64"])]) == ["scs-0102-prop-architecture"])
    #expect(Self.failed([Self.image(["os_purpose": nil])]) == ["scs-0102-prop-os_purpose"])
    #expect(Self.failed([Self.image(["image_source": "file:x.img"])]) == ["scs-0102-prop-image_source"])
    #expect(Self.failed([Self.image(["uuid_validity": "last-x"])]) == ["scs-0102-prop-uuid_validity"])
    #expect(Self.failed([Self.image(["hotfix_hours": "-1"])]) == ["scs-0102-prop-hotfix_hours"])
    // Unset hw_disk_bus and hypervisor_type are accepted, as the official check accepts them.
    #expect(Self.failed([Self.image(["hw_disk_bus": nil, "hypervisor_type": nil])]) == [])
    #expect(Self.failed([Self.image(["image_build_date": "2026-05-21"])]) == ["scs-0102-prop-image_build_date"])
    #expect(Self.failed([Self.image(["image_source": "private"])]) == [])
  }

  @Test func minDiskMustHoldTheImage() {
    var image = Self.image()
    image.size = 9 << 30
    #expect(Self.failed([image]) == ["scs-0102-prop-min_disk"])
  }

  @Test func recencyNeedsAReplacementForOutdatedImages() {
    let old = Self.image(
      ["image_build_date": "2025-01-01", "provided_until": "2027-01-01", "os_purpose": "oldgeneric"],
      name: "Debian 12 20250101",
      createdAt: "2025-01-02T00:00:00Z")
    #expect(Self.failed([old]) == ["scs-0102-image-recency"])
    #expect(Self.failed([old, Self.image()]) == [])
    // Past provided_until, no promise is made any more.
    let expired = Self.image(
      ["image_build_date": "2025-01-01", "provided_until": "2026-01-01"], name: "Debian 11",
      createdAt: "2025-01-02T00:00:00Z")
    #expect(Self.failed([expired]) == [])
    let invalid = Self.image(
      ["image_build_date": "2025-01-01", "provided_until": "soon"], name: "Debian 10", createdAt: "2025-01-02T00:00:00Z"
    )
    #expect(Self.failed([invalid]) == ["scs-0102-image-recency"])
  }

  @Test func onlyOneVisibleGenericImagePerDistroVersion() {
    let twin = Self.image(name: "Debian 12 copy")
    #expect(Self.failed([Self.image(), twin]) == ["scs-0102-os_purpose-uniqueness"])
    var hidden = twin
    hidden.isHidden = true
    #expect(Self.failed([Self.image(), hidden]) == [])
  }

  @Test func datesParseInTheOfficialForms() {
    #expect(SCSDate.parse("2026-11-01") == 1_793_491_200)
    #expect(SCSDate.parse("2026-11-01 00:00") == 1_793_491_200)
    #expect(SCSDate.parse("2026-11-01T00:00:00Z", forms: [.strict]) == 1_793_491_200)
    #expect(SCSDate.parse("20261101", forms: SCSDate.markerForms) == 1_793_491_200)
    #expect(SCSDate.parse("2026-02-30") == nil)
    #expect(SCSDate.parse("yesterday") == nil)
  }
}
