import Crypto
import Foundation
import Images
import OpenStack
import StewardCore
import Synchronization
import Testing

/// The image manager against the real Glance, with a local HTTP server as image source. Each test has
/// its own image names and its own managed tag, so tests run side by side and clean up what they made.
@Suite("Image sync against the real Glance", .testCloud)
struct ImageSyncTests {
  struct Fixture {
    let name = TestCloud.name("img")
    let tag = TestCloud.name("managed")
    let folder = TestCloud.name("src")

    /// A small raw image (random bytes) on the local server: URL and checksums.
    func publish(_ file: String, size: Int = 256 * 1024) async throws -> (url: String, sha256: String, sha512: String) {
      var bytes = Data(count: size)
      bytes.withUnsafeMutableBytes { buffer in
        for index in buffer.indices { buffer[index] = UInt8.random(in: 0...255) }
      }
      let url = try await ImageSourceServer.shared.publish("\(folder)/\(file)", bytes)
      let sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
      let sha512 = SHA512.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
      return (url, sha256, sha512)
    }

    /// A definition file in the peer's format; `versions` are YAML list items.
    func definitions(_ versions: [String], multi: Bool = true, uuidValidity: String = "last-3") throws
      -> [ImageDefinition]
    {
      let yaml = """
        images:
          - name: \(name)
            enable: true
            format: raw
            login: cirros
            min_disk: 1
            min_ram: 128
            status: active
            visibility: private
            multi: \(multi)
            meta:
              architecture: x86_64
              hypervisor_type: qemu
              hw_disk_bus: scsi
              hw_rng_model: virtio
              os_distro: cirros
              os_version: '0.6'
              os_purpose: minimal
              replace_frequency: never
              uuid_validity: \(uuidValidity)
              provided_until: none
            tags: [steward-test]
            versions:
        \(versions.map { "      " + $0.replacingOccurrences(of: "\n", with: "\n      ") }.joined(separator: "\n"))
        """
      let set = ImageDefinitionLoader.parse(yaml, file: "\(name).yml")
      #expect(set.errors.isEmpty, "\(set.errors)")
      return set.images
    }

    func options(_ change: (inout ImageSyncOptions) -> Void = { _ in }) -> ImageSyncOptions {
      var options = ImageSyncOptions(tag: tag, maxParallel: 4, importTimeout: .seconds(120), sourceTimeout: .seconds(5))
      change(&options)
      return options
    }

    func reconciler(_ session: Session, _ definitions: [ImageDefinition], _ options: ImageSyncOptions) async throws
      -> ImageReconciler
    {
      ImageReconciler(images: try await session.image().images, definitions: definitions, options: options)
    }

    func managed(_ session: Session) async throws -> [ObservedImage] {
      try await ObservedImage.all(in: try await session.image().images, tag: tag)
    }

    /// Runs `body`, then deletes every image with this fixture's tag, also when `body` failed.
    func guarded(_ session: Session, _ body: () async throws -> Void) async throws {
      do {
        try await body()
      } catch {
        try? await cleanUp(session)
        throw error
      }
      try await cleanUp(session)
    }

    func cleanUp(_ session: Session) async throws {
      let images = try await session.image().images
      for image in try await managed(session) { try await images.deleteIfPresent(image.id) }
    }
  }

  static func version(_ version: String, _ url: String, checksum: String? = nil) -> String {
    "- version: '\(version)'\n  url: \(url)\n  build_date: 2026-01-01"
      + (checksum.map { "\n  checksum: \($0)" } ?? "")
  }

  @Test func firstImportDriftRepairNewVersionRotationAndSecondRun() async throws {
    let fixture = Fixture()
    let first = try await fixture.publish("v1.img")
    let second = try await fixture.publish("v2.img")
    try await TestCloud.with("steward-admin") { session in
      try await fixture.guarded(session) {
        let images = try await session.image().images
        let projectID = try await session.currentToken().project?.id
        let v1 = try fixture.definitions(
          [Self.version("1", first.url, checksum: "sha512:\(first.sha512)")], uuidValidity: "last-1")
        let options = fixture.options { $0.projectID = projectID }

        // First import: the only version takes the plain name, with the SCS metadata.
        let (plan, report) = try await fixture.reconciler(session, v1, options).run(dryRun: false)
        #expect(plan.count(.create) == 1)
        #expect(report?.succeeded == true, "\(report?.failures ?? [])")
        var managed = try await fixture.managed(session)
        #expect(managed.map(\.name) == [fixture.name])
        let image = try #require(managed.first)
        #expect(image.status == "active" && image.visibility == "private")
        #expect(image.properties["os_distro"] == "cirros" && image.properties["internal_version"] == "1")
        #expect(image.properties["image_source"] == first.url && image.properties["image_original_user"] == "cirros")
        #expect(Set(image.tags) == [fixture.tag, "steward-test", "os:cirros"])

        // Second run: nothing to do.
        let again = try await fixture.reconciler(session, v1, options).plan()
        #expect(again.isEmpty, "\(again.actionable)")

        // Drift (a property changed, a tag removed by hand) is repaired, then nothing is left to do.
        _ = try await images.update(image.id, [.replace("/os_distro", "ubuntu"), .replace("/min_ram", 64)])
        try await images.removeTag(image.id, "os:cirros")
        let drift = try await fixture.reconciler(session, v1, options).run(dryRun: false)
        #expect(drift.0.actionable.map(\.id) == ["update image \(fixture.name)"])
        #expect(drift.0.actionable.first?.details.contains("os_distro: ubuntu -> cirros") == true)
        #expect(drift.1?.succeeded == true)
        let repaired = try await images.get(image.id)
        #expect(repaired.properties["os_distro"]?.stringValue == "cirros" && repaired.minRAM == 128)
        #expect(repaired.tags.contains("os:cirros"))
        #expect(try await fixture.reconciler(session, v1, options).plan().isEmpty)

        // A new version: imported, renamed to the plain name, the old one renamed and hidden (last-1).
        let v2 = try fixture.definitions(
          [
            Self.version("1", first.url, checksum: "sha512:\(first.sha512)"),
            Self.version("2", second.url, checksum: "sha256:\(second.sha256)"),
          ], uuidValidity: "last-1")
        let hiding = fixture.options {
          $0.projectID = projectID
          $0.rotation = .init(hide: true)
        }
        let rotation = try await fixture.reconciler(session, v2, hiding).run(dryRun: false)
        #expect(rotation.1?.succeeded == true, "\(rotation.1?.failures ?? [])")
        managed = try await fixture.managed(session)
        let current = try #require(managed.first { $0.name == fixture.name })
        let old = try #require(managed.first { $0.name == "\(fixture.name) (1)" })
        #expect(current.properties["internal_version"] == "2" && current.visibility == "private")
        #expect(old.id == image.id && old.visibility == "community")
        #expect(managed.count == 2)
        #expect(try await fixture.reconciler(session, v2, hiding).plan().isEmpty)

        // Deleting needs the confirmation; with it, the outdated version goes.
        let deleting = fixture.options {
          $0.projectID = projectID
          $0.rotation = .init(delete: true, confirmDelete: true)
        }
        let deletion = try await fixture.reconciler(session, v2, deleting).run(dryRun: false)
        #expect(deletion.0.actionable.map(\.id) == ["delete image \(fixture.name) (1)"])
        #expect(try await images.find(image.id) == nil)
      }
    }
  }

  @Test func dryRunChangesNothing() async throws {
    let fixture = Fixture()
    let source = try await fixture.publish("v1.img")
    try await TestCloud.with("steward-admin") { session in
      try await fixture.guarded(session) {
        let definitions = try fixture.definitions([Self.version("1", source.url)])
        let (plan, report) = try await fixture.reconciler(session, definitions, fixture.options()).run(dryRun: true)
        #expect(plan.count(.create) == 1)
        #expect(report == nil)
        let managed = try await fixture.managed(session)
        #expect(managed.isEmpty)
      }
    }
  }

  @Test func checksumMismatchLeavesNoImageAndOtherImagesGoOn() async throws {
    let fixture = Fixture()
    let source = try await fixture.publish("bad.img")
    let good = try await fixture.publish("good.img")
    try await TestCloud.with("steward-admin") { session in
      try await fixture.guarded(session) {
        // sha256 differs from Glance's sha512: verified by streaming the source; sha512 by os_hash_value.
        let wrong256 = String(repeating: "0", count: 64)
        let wrong512 = String(repeating: "1", count: 128)
        let definitions = try fixture.definitions(
          [
            Self.version("1", source.url, checksum: "sha256:\(wrong256)"),
            Self.version("2", source.url, checksum: "sha512:\(wrong512)"),
            Self.version("3", good.url, checksum: "sha256:\(good.sha256)"),
          ], multi: false)
        let (_, report) = try await fixture.reconciler(session, definitions, fixture.options()).run(dryRun: false)
        let failures = try #require(report?.failures)
        #expect(failures.map(\.change.target).sorted() == ["\(fixture.name) 1", "\(fixture.name) 2"])
        #expect(
          failures.allSatisfy {
            $0.error?.contains("checksum mismatch") == true && $0.error?.contains("deleted") == true
          })
        let managed = try await fixture.managed(session)
        #expect(managed.map(\.name) == ["\(fixture.name) 3"])
        #expect(managed.first?.status == "active")
      }
    }
  }

  @Test func unreachableSourcesFailBeforeAnythingIsCreated() async throws {
    let fixture = Fixture()
    let base = try await ImageSourceServer.shared.baseURL()
    try await TestCloud.with("steward-admin") { session in
      try await fixture.guarded(session) {
        let definitions = try fixture.definitions(
          [
            Self.version("1", "\(base)/\(fixture.folder)/missing.img"),
            Self.version("2", "http://127.0.0.1:9/nothing-listens-here.img"),
          ], multi: false)
        let (_, report) = try await fixture.reconciler(session, definitions, fixture.options()).run(dryRun: false)
        let failures = try #require(report?.failures)
        #expect(failures.count == 2)
        #expect(failures.allSatisfy { $0.error?.contains("source not reachable") == true })
        #expect(failures.contains { $0.error?.contains("HTTP 404") == true })
        let managed = try await fixture.managed(session)
        #expect(managed.isEmpty)
      }
    }
  }

  @Test func aStuckImportIsCleanedUpWithinTheTimeout() async throws {
    let fixture = Fixture()
    let base = try await ImageSourceServer.shared.baseURL()
    try await TestCloud.with("steward-admin") { session in
      try await fixture.guarded(session) {
        let definitions = try fixture.definitions(
          [Self.version("1", "\(base)/stuck/\(fixture.folder).img")], multi: false)
        let options = fixture.options { $0.importTimeout = .seconds(15) }
        let started = ContinuousClock.now
        let (_, report) = try await fixture.reconciler(session, definitions, options).run(dryRun: false)
        let elapsed = ContinuousClock.now - started
        let failure = try #require(report?.failures.first)
        // 15 s of waiting plus planning, the source check and the clean-up, on a shared, busy Glance
        // (about 17 s alone, up to a minute while the whole suite runs).
        #expect(elapsed < .seconds(120), "took \(elapsed): \(failure)")
        #expect(failure.error?.contains("did not finish within the import timeout") == true, "\(failure)")
        let managed = try await fixture.managed(session)
        #expect(managed.isEmpty, "left behind: \(managed.map { "\($0.name) \($0.status)" })")
      }
    }
  }

  @Test func localFilesAreStreamedAndVerified() async throws {
    let fixture = Fixture()
    let source = try await fixture.publish("local.img", size: 3 << 20)
    let path = ImageSourceServer.root.appendingPathComponent("\(fixture.folder)/local.img").path
    try await TestCloud.with("steward-admin") { session in
      try await fixture.guarded(session) {
        let definitions = try fixture.definitions(
          [Self.version("1", "file://\(path)", checksum: "sha256:\(source.sha256)")], multi: false)
        let (_, report) = try await fixture.reconciler(session, definitions, fixture.options()).run(dryRun: false)
        #expect(report?.succeeded == true, "\(report?.failures ?? [])")
        let managed = try await fixture.managed(session)
        #expect(managed.first?.size == Int64(3 << 20))
        #expect(managed.first?.properties["image_source"] == "private")
      }
    }
  }

  @Test func aWebDownloadGlanceRefusesFallsBackToAStreamedUpload() async throws {
    let fixture = Fixture()
    let source = try await fixture.publish("fallback.img", size: 2 << 20)
    let base = try await ImageSourceServer.refusedByGlance.baseURL()
    let url = "\(base)/\(fixture.folder)/fallback.img"
    try await TestCloud.with("steward-admin") { session in
      try await fixture.guarded(session) {
        let definitions = try fixture.definitions(
          [Self.version("1", url, checksum: "sha256:\(source.sha256)")], multi: false)
        let messages = Messages()
        let reconciler = ImageReconciler(
          images: try await session.image().images, definitions: definitions, options: fixture.options(),
          progress: { _, message in messages.append(message) })
        let (_, report) = try await reconciler.run(dryRun: false)
        #expect(report?.succeeded == true, "\(report?.failures ?? []) \(messages.all)")
        #expect(messages.all.contains { $0.contains("streaming the image through this host") }, "\(messages.all)")
        let managed = try await fixture.managed(session)
        #expect(managed.first?.status == "active" && managed.first?.size == Int64(2 << 20))
      }
    }
  }
}

/// Progress lines collected from concurrent imports.
final class Messages: Sendable {
  private let lines = Mutex<[String]>([])
  func append(_ line: String) { lines.withLock { $0.append(line) } }
  var all: [String] { lines.withLock { $0 } }
}
