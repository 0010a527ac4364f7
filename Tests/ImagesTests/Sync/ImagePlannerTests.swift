import Foundation
import StewardCore
import Testing

@testable import Images

@Suite("Image planner")
struct ImagePlannerTests {
  static let location = SourceLocation(file: "test.yml", line: 1)
  static let meta: [String: String] = [
    "architecture": "x86_64", "hypervisor_type": "qemu", "hw_disk_bus": "scsi", "os_distro": "debian",
    "os_version": "12", "os_purpose": "generic", "replace_frequency": "quarterly", "uuid_validity": "last-3",
    "provided_until": "none",
  ]

  static func version(_ version: String, checksum: String? = nil, url: String? = nil) -> ImageVersion {
    ImageVersion(
      version: version, url: url ?? "http://127.0.0.1:18080/img-\(version).qcow2", mirrorURL: nil,
      checksum: checksum.flatMap(ImageChecksum.init), checksumsURL: nil, buildDate: "2026-01-0\(version.suffix(1))",
      source: nil, id: nil, hidden: nil, visibility: nil, imageDescription: nil, osVersion: nil, meta: [:],
      location: location)
  }

  static func definition(
    _ name: String = "Debian 12", multi: Bool = true, versions: [String], meta: [String: String] = meta,
    keep: Bool = false, enabled: Bool = true
  ) -> ImageDefinition {
    ImageDefinition(
      name: name, enabled: enabled, shortName: nil, format: "qcow2", login: "debian", password: nil, minDisk: 8,
      minRAM: 512, status: "active", visibility: "public", multi: multi, separator: " ", keep: keep, tags: [],
      meta: meta, latestURL: nil, latestChecksumURL: nil, versions: versions.map { version($0) }, location: location)
  }

  /// What Glance holds after a perfect import of `version`.
  static func synced(
    _ definition: ImageDefinition, _ version: String, id: String, name: String? = nil, visibility: String = "public",
    hidden: Bool = false, options: ImageSyncOptions = ImageSyncOptions()
  ) -> ObservedImage {
    let wanted = ImagePlanner.desired(
      definition, definition.versions.first { $0.version == version }!, options: options)
    return ObservedImage(
      id: id, name: name ?? definition.name, visibility: visibility, hidden: hidden, tags: wanted.tags.sorted(),
      minDisk: 8, minRAM: 512, size: 300 << 20, createdAt: "2026-01-01T00:00:00Z", properties: wanted.properties)
  }

  static func changes(_ plan: ImagePlan) -> [String] { plan.plan.actionable.map(\.id) }

  @Test func firstImportOfAMultiImageImportsThenTakesThePlainName() throws {
    let definition = Self.definition(versions: ["20260101"])
    let plan = ImagePlanner.plan(definitions: [definition], observed: [], options: ImageSyncOptions())
    #expect(Self.changes(plan) == ["create image Debian 12 (20260101)", "update image-name Debian 12 (20260101)"])
    let job = try #require(plan.imports.first)
    #expect(job.name == "Debian 12 (20260101)")
    #expect(job.visibility == "public")
    #expect(job.tags == ["managed_by_osism", "os:debian"])
    #expect(job.properties["internal_version"] == "20260101")
    #expect(job.properties["image_source"] == "http://127.0.0.1:18080/img-20260101.qcow2")
    #expect(job.properties["image_original_user"] == "debian")
    #expect(job.properties["image_description"] == "Debian 12")
    #expect(job.properties["image_build_date"] == "2026-01-01")
    #expect(job.properties["hw_disk_bus"] == "scsi")
    #expect(plan.steps[1].operation == .rename(.imported(name: "Debian 12 (20260101)"), to: "Debian 12"))
  }

  @Test func secondRunOverASyncedCloudPlansNothing() {
    let definition = Self.definition(versions: ["1", "2"])
    let observed = [
      Self.synced(definition, "2", id: "new"), Self.synced(definition, "1", id: "old", name: "Debian 12 (1)"),
    ]
    let plan = ImagePlanner.plan(definitions: [definition], observed: observed, options: ImageSyncOptions())
    #expect(plan.plan.isEmpty)
    #expect(plan.plan.count(.keep) == 3)
  }

  @Test func aNewVersionIsImportedRenamedAndTheOldOneRotated() throws {
    var definition = Self.definition(versions: ["1", "2"])
    definition.meta["uuid_validity"] = "last-1"
    let observed = [Self.synced(definition, "1", id: "old")]
    var options = ImageSyncOptions()
    options.rotation = .init(hide: true)
    let plan = ImagePlanner.plan(definitions: [definition], observed: observed, options: options)
    #expect(
      Self.changes(plan) == [
        "create image Debian 12 (2)", "update image-name Debian 12", "update image-name Debian 12 (2)",
        "retire image Debian 12 (1)",
      ])
    #expect(plan.steps[1].operation == .rename(.id("old"), to: "Debian 12 (1)"))
    #expect(plan.steps[2].operation == .rename(.imported(name: "Debian 12 (2)"), to: "Debian 12"))
    #expect(plan.steps[3].operation == .retire(imageID: "old", hide: true, useOSHidden: false, deactivate: false))
  }

  @Test func useOSHiddenHidesTheOldImageNotTheNewOne() throws {
    var definition = Self.definition(versions: ["1", "2"])
    definition.meta["uuid_validity"] = "last-1"
    var options = ImageSyncOptions()
    options.rotation = .init(hide: true, useOSHidden: true)
    let plan = ImagePlanner.plan(
      definitions: [definition], observed: [Self.synced(definition, "1", id: "old")], options: options)
    let job = try #require(plan.imports.first)
    #expect(job.name == "Debian 12 (2)" && !job.hidden)
    #expect(plan.steps.last?.operation == .retire(imageID: "old", hide: true, useOSHidden: true, deactivate: false))
  }

  @Test func deleteNeedsTheConfirmation() {
    var definition = Self.definition(versions: ["2"])
    definition.meta["uuid_validity"] = "last-1"
    let observed = [
      Self.synced(definition, "2", id: "new"),
      ObservedImage(
        id: "old", name: "Debian 12 (1)", tags: ["managed_by_osism"],
        properties: ["image_name": "Debian 12", "internal_version": "1"]),
    ]
    var options = ImageSyncOptions()
    options.rotation = .init(delete: true)
    var plan = ImagePlanner.plan(definitions: [definition], observed: observed, options: options)
    #expect(plan.plan.isEmpty)
    #expect(plan.plan.changes.contains { $0.target == "Debian 12 (1)" && $0.reason.contains("kept") })
    options.rotation = .init(delete: true, confirmDelete: true)
    plan = ImagePlanner.plan(definitions: [definition], observed: observed, options: options)
    #expect(Self.changes(plan) == ["delete image Debian 12 (1)"])
    // `keep: true` in the definition turns the delete into hide + deactivate.
    definition.keep = true
    plan = ImagePlanner.plan(definitions: [definition], observed: observed, options: options)
    #expect(plan.steps.map(\.operation) == [.retire(imageID: "old", hide: true, useOSHidden: false, deactivate: true)])
  }

  @Test func lastNKeepsTheNewestNAndImportsNoVersionItWouldRotateAway() {
    var definition = Self.definition(versions: ["1", "2", "3", "10"])
    definition.meta["uuid_validity"] = "last-2"
    let plan = ImagePlanner.plan(definitions: [definition], observed: [], options: ImageSyncOptions())
    #expect(plan.imports.map(\.version) == ["3", "10"])
  }

  @Test func olderVersionsInsideTheWindowAreHiddenOnlyWithHide() {
    let definition = Self.definition(versions: ["1", "2"])
    let observed = [
      Self.synced(definition, "2", id: "new"), Self.synced(definition, "1", id: "old", name: "Debian 12 (1)"),
    ]
    var options = ImageSyncOptions()
    options.rotation = .init(hide: true)
    let plan = ImagePlanner.plan(definitions: [definition], observed: observed, options: options)
    #expect(plan.steps.map(\.operation) == [.retire(imageID: "old", hide: true, useOSHidden: false, deactivate: false)])
    // Hidden already: nothing to do, and its community visibility is not "repaired" back to public.
    let hidden = [observed[0], Self.synced(definition, "1", id: "old", name: "Debian 12 (1)", visibility: "community")]
    #expect(ImagePlanner.plan(definitions: [definition], observed: hidden, options: options).plan.isEmpty)
  }

  @Test func propertyTagAndVisibilityDriftIsRepaired() throws {
    let definition = Self.definition(versions: ["1"])
    var image = Self.synced(definition, "1", id: "img", visibility: "private")
    image.properties["os_distro"] = "ubuntu"
    image.properties["hw_disk_bus"] = nil
    image.tags = ["managed_by_osism", "stale"]
    image.minRAM = 256
    let plan = ImagePlanner.plan(definitions: [definition], observed: [image], options: ImageSyncOptions())
    #expect(Self.changes(plan) == ["update image Debian 12"])
    guard case .update(let id, let patch) = plan.steps[0].operation else {
      Issue.record("expected an update")
      return
    }
    #expect(id == "img")
    #expect(patch.properties == ["os_distro": "debian", "hw_disk_bus": "scsi"])
    #expect(patch.addTags == ["os:debian"] && patch.removeTags == ["stale"])
    #expect(patch.minRAM == 512 && patch.visibility == "public")
    #expect(plan.plan.changes[0].details.contains("os_distro: ubuntu -> debian"))
  }

  @Test func minDiskFollowsTheImageSize() {
    let definition = Self.definition(versions: ["1"])
    var image = Self.synced(definition, "1", id: "img")
    image.size = (10 << 30) + 1
    let plan = ImagePlanner.plan(definitions: [definition], observed: [image], options: ImageSyncOptions())
    guard case .update(_, let patch) = plan.steps.first?.operation else {
      Issue.record("expected an update")
      return
    }
    #expect(patch.minDisk == 11)
  }

  @Test func singleImagesAreNamedWithTheVersionAndUndefinedOnesRotate() {
    var definition = Self.definition("Cirros", multi: false, versions: ["0.6.2", "0.6.3"])
    definition.meta["uuid_validity"] = "last-1"
    let stale = ObservedImage(
      id: "stale", name: "Cirros 0.6.1", tags: ["managed_by_osism"],
      properties: ["image_name": "Cirros", "internal_version": "0.6.1"])
    var options = ImageSyncOptions()
    options.rotation = .init(deactivate: true)
    var plan = ImagePlanner.plan(definitions: [definition], observed: [stale], options: options)
    #expect(
      Self.changes(plan) == ["create image Cirros 0.6.3", "retire image Cirros 0.6.1"]
        || Self.changes(plan) == [
          "create image Cirros 0.6.2", "create image Cirros 0.6.3", "retire image Cirros 0.6.1",
        ])
    #expect(plan.imports.last?.properties["os_version"] == "0.6.3")
    options.keep = true
    plan = ImagePlanner.plan(definitions: [definition], observed: [stale], options: options)
    #expect(!Self.changes(plan).contains("retire image Cirros 0.6.1"))
  }

  @Test func latestImportsOnlyTheNewestVersion() {
    let definition = Self.definition(versions: ["1", "2", "3"])
    var options = ImageSyncOptions()
    options.latest = true
    #expect(
      ImagePlanner.plan(definitions: [definition], observed: [], options: options).imports.map(\.version) == ["3"])
  }

  @Test func filterDisabledAndUnmanagedImagesAreLeftAlone() {
    let debian = Self.definition(versions: ["1"])
    let ubuntu = Self.definition("Ubuntu 24.04", versions: ["1"])
    let disabled = Self.definition("Old", versions: ["1"], enabled: false)
    var options = ImageSyncOptions()
    options.filter = "^Ubu"
    var plan = ImagePlanner.plan(definitions: [debian, ubuntu, disabled], observed: [], options: options)
    #expect(plan.imports.map(\.definition) == ["Ubuntu 24.04"])
    // An image without the managed tag is not the definition's, even with its name.
    let foreign = ObservedImage(id: "x", name: "Ubuntu 24.04", tags: [], properties: [:])
    plan = ImagePlanner.plan(definitions: [ubuntu], observed: [foreign], options: options)
    #expect(plan.imports.count == 1)
    #expect(!plan.steps.contains { if case .update(let id, _) = $0.operation { id == "x" } else { false } })
  }

  @Test func expiredDatedValidityRotatesOldVersions() {
    var definition = Self.definition(versions: ["2"])
    definition.meta["uuid_validity"] = "2026-01-01"
    let old = ObservedImage(
      id: "old", name: "Debian 12 (1)", tags: ["managed_by_osism"],
      properties: ["image_name": "Debian 12", "internal_version": "1"])
    var options = ImageSyncOptions()
    options.rotation = .init(hide: true)
    options.now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
    let plan = ImagePlanner.plan(
      definitions: [definition], observed: [Self.synced(definition, "2", id: "new"), old], options: options)
    #expect(plan.plan.actionable.first { $0.target == "Debian 12 (1)" }?.reason.contains("outdated") == true)
    options.now = ISO8601DateFormatter().date(from: "2025-06-01T00:00:00Z")!
    let early = ImagePlanner.plan(
      definitions: [definition], observed: [Self.synced(definition, "2", id: "new"), old], options: options)
    #expect(early.plan.actionable.first { $0.target == "Debian 12 (1)" }?.reason.contains("still valid") == true)
  }

  @Test func aNewestLeftUnderItsVersionedNameIsPromoted() {
    let definition = Self.definition(versions: ["1", "2"])
    let observed = [
      Self.synced(definition, "1", id: "old"), Self.synced(definition, "2", id: "new", name: "Debian 12 (2)"),
    ]
    let plan = ImagePlanner.plan(definitions: [definition], observed: observed, options: ImageSyncOptions())
    #expect(
      plan.steps.map(\.operation) == [
        .rename(.id("old"), to: "Debian 12 (1)"), .rename(.id("new"), to: "Debian 12"),
      ])
  }

  @Test func versionsSortNaturally() {
    #expect(
      NaturalOrder.sorted(["10", "9", "1.10", "1.9", "2024-01-12", "2024-01-05"]) == [
        "1.9", "1.10", "9", "10", "2024-01-05", "2024-01-12",
      ])
  }
}

@Suite("Checksum files")
struct ChecksumFileTests {
  @Test func gnuBsdAndBareForms() {
    let sha256 = String(repeating: "a", count: 64)
    let sha512 = String(repeating: "b", count: 128)
    let gnu = "\(String(repeating: "c", count: 64))  other.qcow2\n\(sha256) *noble-server-cloudimg-amd64.img\n"
    #expect(
      ChecksumFile.checksum(for: "https://x/noble/noble-server-cloudimg-amd64.img", in: gnu)?.description
        == "sha256:\(sha256)")
    let bsd = "SHA512 (debian-12-genericcloud-amd64.qcow2) = \(sha512)\n"
    #expect(
      ChecksumFile.checksum(for: "https://x/debian-12-genericcloud-amd64.qcow2", in: bsd)?.description
        == "sha512:\(sha512)")
    #expect(ChecksumFile.checksum(for: "https://x/alpine.qcow2", in: "\(sha256)\n")?.algorithm == "sha256")
    #expect(ChecksumFile.checksum(for: "https://x/missing.img", in: gnu) == nil)
  }
}
