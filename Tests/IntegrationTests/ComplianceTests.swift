import Foundation
import OpenStack
import SCSStandards
import StewardCore
import Testing

@testable import Compliance
@testable import Flavors

/// The compliance checks against the real local cloud, run as the member `steward-demo`, with
/// `steward-admin` for set-ups. Flavors are global and shared with other engineers: the standard SCS
/// flavors are only ever added, and broken cases use private flavors shared with the demo project only,
/// or community images with unique names, removed afterwards.
@Suite("SCS compliance checks against the real cloud", .testCloud, .serialized)
struct ComplianceIntegrationTests {
  static func run(
    _ ids: [String], admin: Session? = nil, flavors: [ObservedFlavor]? = nil, images: [Image]? = nil,
    timeout: Duration = .seconds(120)
  ) async throws -> [String: TestcaseResult] {
    try await TestCloud.with("steward-demo") { session in
      let context = CheckContext(
        session: session, adminSession: admin, prefix: CheckContext.runPrefix(),
        waiter: Waiter(timeout: timeout, interval: .seconds(1)), flavors: flavors, images: images)
      let outcome = await ComplianceRunner().run(ids, context: context)
      return Dictionary(outcome.results.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
  }

  /// Adds the missing standard SCS flavors (never changes or deletes existing ones).
  static func addStandardFlavors() async throws {
    try await TestCloud.with("steward-admin") { session in
      let api = try await session.compute().flavors
      let reconciler = FlavorReconciler(
        flavors: api, desired: BuiltinDefinitions.scs.selected(recommended: true, limitMemoryGB: 1024),
        namePrefix: nil, options: .init())
      let plan = try await reconciler.plan()
      let additions = Plan(plan.actionable.filter { $0.action == .create })
      if !additions.isEmpty {
        let report = try await reconciler.apply(additions)
        #expect(report.succeeded, "\(report.failures)")
      }
    }
  }

  @Test func compliantFlavorsPass() async throws {
    try await Self.addStandardFlavors()
    let ids =
      ["scs-0100-syntax-check", "scs-0100-semantics-check"]
      + (StandardFlavors.mandatory + StandardFlavors.recommended).map { FlavorTestcases.testcaseID($0.canonicalName) }
    let results = try await Self.run(ids)
    for id in ids {
      #expect(results[id]?.verdict == .pass, "\(id): \(results[id]?.messages.map(\.line) ?? [])")
    }
  }

  @Test func invalidAndOverpromisingFlavorsFailNamingTheFlavor() async throws {
    let tag = String(UUID().uuidString.prefix(4)).lowercased()
    // Private flavors, shared with the demo project only, so nobody else sees them.
    let badName = "SCS-1X-\(tag)"
    let overpromise = "SCS-7V-13-\(Int.random(in: 100...999))"
    let created: [Flavor] = try await TestCloud.with("steward-admin") { session in
      let api = try await session.compute().flavors
      let demo = try await session.identity().projects.find("demo")
      let projectID = try #require(demo?.id)
      var made: [Flavor] = []
      for (name, vcpus) in [(badName, 1), (overpromise, 1)] {
        let flavor = try await api.create(FlavorCreate(name: name, vcpus: vcpus, ram: 1024, disk: 1, isPublic: false))
        made.append(flavor)
        try await api.addAccess(flavor.id, project: projectID)
      }
      return made
    }
    let results: [String: TestcaseResult]
    do {
      results = try await Self.run(["scs-0100-syntax-check", "scs-0100-semantics-check"])
    } catch {
      await Self.deleteFlavors(created)
      throw error
    }
    await Self.deleteFlavors(created)
    let syntax = try #require(results["scs-0100-syntax-check"])
    #expect(syntax.verdict == .fail)
    #expect(syntax.messages.contains { $0.level == .error && $0.text.contains(badName) }, "\(syntax.messages)")
    let semantics = try #require(results["scs-0100-semantics-check"])
    #expect(semantics.verdict == .fail)
    #expect(
      semantics.messages.contains { $0.level == .error && $0.text.contains(overpromise) && $0.text.contains("CPU") },
      "\(semantics.messages)")
  }

  static func deleteFlavors(_ flavors: [Flavor]) async {
    _ = try? await TestCloud.with("steward-admin") { session in
      let api = try await session.compute().flavors
      for flavor in flavors { try? await api.delete(flavor.id) }
    }
  }

  @Test func wrongStandardFlavorFailsNamingTheFlavorFromPureInput() async throws {
    let standard = StandardFlavors.mandatory.map { flavor in
      ObservedFlavor(
        id: flavor.canonicalName, name: flavor.canonicalName, vcpus: flavor.vcpus, ramMiB: flavor.ramMiB,
        diskGB: flavor.diskGB ?? 0, extraSpecs: flavor.extraSpecs)
    }
    var broken = standard.filter { $0.name != "SCS-2V-8" }
    broken[0].ramMiB = 3000  // SCS-1V-4
    let results = try await Self.run(
      ["scs-0103-flavor-1v-4", "scs-0103-flavor-2v-8", "scs-0103-flavor-4v-16"], flavors: broken)
    #expect(results["scs-0103-flavor-4v-16"]?.verdict == .pass)
    #expect(results["scs-0103-flavor-1v-4"]?.verdict == .fail)
    #expect(results["scs-0103-flavor-1v-4"]?.reason == "SCS-1V-4: ram: 3000 should be 4096")
    #expect(results["scs-0103-flavor-2v-8"]?.reason == "SCS-2V-8: scs-0103 standard flavor missing")
  }

  @Test func standardImageSourceIsCheckedOnCommunityImages() async throws {
    let version = "v9.\(Int.random(in: 1000...999_999))"
    let good = "ubuntu-capi-image-\(version)"
    let bad = "ubuntu-capi-image-\(version).1"
    let images: [String] = try await TestCloud.with("steward-demo") { session in
      let api = try await session.image().images
      let first = try await api.create(
        ImageCreate(
          name: good, visibility: "community",
          properties: ["image_source": "https://nbg1.your-objectstorage.com/osism/openstack-k8s-capi-images/x.qcow2"]))
      let second = try await api.create(
        ImageCreate(name: bad, visibility: "community", properties: ["image_source": "https://example.org/capi.qcow2"]))
      return [first.id, second.id]
    }
    let results: [String: TestcaseResult]
    do {
      results = try await Self.run(["scs-0104-image-capi-2", "scs-0104-source-capi-2", "scs-0104-image-debian-13"])
    } catch {
      await Self.deleteImages(images)
      throw error
    }
    await Self.deleteImages(images)
    #expect(results["scs-0104-image-capi-2"]?.verdict == .pass)
    let source = try #require(results["scs-0104-source-capi-2"])
    #expect(source.verdict == .fail)
    #expect(source.messages.contains { $0.text.contains("Image '\(bad)' source mismatch") }, "\(source.messages)")
    #expect(!source.messages.contains { $0.text.contains("Image '\(good)'") })
  }

  static func deleteImages(_ ids: [String]) async {
    _ = try? await TestCloud.with("steward-demo") { session in
      let api = try await session.image().images
      for id in ids { try? await api.deleteIfPresent(id) }
    }
  }

  /// The test cloud has no Cinder, Barbican, Octavia or S3: the verdicts upstream gives then.
  @Test func servicesAndMissingServicesGiveUpstreamVerdicts() async throws {
    let results = try await Self.run([
      "scs-0123-service-compute", "scs-0123-service-identity", "scs-0123-service-image", "scs-0123-service-network",
      "scs-0123-service-placement", "scs-0123-service-load-balancer", "scs-0123-storage-apis", "scs-0123-swift-s3",
      "scs-0116-presence", "scs-0116-permissions", "scs-0114-syntax-check", "scs-0117-test-backup",
      "scs-0101-entropy-avail", "scs-0101-fips-test",
    ])
    func verdict(_ id: String) -> TestcaseVerdict? { results[id]?.verdict }
    for id in ["compute", "identity", "image", "network", "placement"] {
      #expect(verdict("scs-0123-service-\(id)") == .pass)
    }
    #expect(verdict("scs-0123-swift-s3") == .pass)  // no object-store: does not apply
    #expect(verdict("scs-0116-permissions") == .pass)  // no key manager: does not apply
    let catalogTypes: Set<String> = try await TestCloud.with("steward-demo") { session in
      Set(try await session.currentToken().catalog.services.map(\.type))
    }
    if !catalogTypes.contains("load-balancer") {
      #expect(verdict("scs-0123-service-load-balancer") == .fail)
      #expect(results["scs-0123-service-load-balancer"]?.reason == "No service of type(s) load-balancer found.")
    }
    if !catalogTypes.contains("key-manager") {
      #expect(verdict("scs-0116-presence") == .fail)
      #expect(results["scs-0116-presence"]?.reason == "key-manager service not found")
    }
    if catalogTypes.isDisjoint(with: ["volume", "volumev3", "block-storage"]) {
      #expect(verdict("scs-0123-storage-apis") == .fail)
      #expect(verdict("scs-0114-syntax-check") == .abort)
      #expect(verdict("scs-0117-test-backup") == .fail)
      #expect(results["scs-0117-test-backup"]?.reason?.hasPrefix("Backup test failed") == true)
      #expect(verdict("scs-0101-entropy-avail") == .abort)
      #expect(verdict("scs-0101-fips-test") == .abort)
    } else {
      // The harness's Cinder: volume types exist and a volume backs up and restores.
      #expect(verdict("scs-0123-storage-apis") == .pass)
      #expect(verdict("scs-0114-syntax-check") == .pass, "\(results["scs-0114-syntax-check"]?.messages ?? [])")
      #expect(verdict("scs-0117-test-backup") == .pass, "\(results["scs-0117-test-backup"]?.messages ?? [])")
    }
  }

  /// The test cloud's Nova runs the fake driver: the entropy VM never boots. Booting from the image (the
  /// cloud has no block storage for the testcase's boot volume) reaches the console path, which must
  /// ABORT quickly with that reason and leave nothing behind.
  @Test func entropyOnAFakeHypervisorAbortsAndCleansUp() async throws {
    let imageID: String = try await TestCloud.with("steward-demo") { session in
      let images = try await session.image().images
      let image = try await images.create(
        ImageCreate(
          name: TestCloud.name("entropy"), properties: ["os_distro": "debian", "os_version": "12"]))
      try await images.upload(image.id, bytes: Data(repeating: 7, count: 4096))
      try await images.waitFor(image.id)
      return image.id
    }
    let prefix = CheckContext.runPrefix()
    let started = ContinuousClock.now
    let outcome: Result<EntropyTestcases.ConsoleRun, Error>
    let leftovers: [String]
    do {
      (outcome, leftovers) = try await TestCloud.with("steward-demo") { session in
        let image = try await session.image().images.get(imageID)
        // Booting from the image needs a flavor with a root disk (Nova refuses diskless ones then). Only the
        // public standard flavors: other tests create and delete private flavors concurrently.
        try await Self.addStandardFlavors()
        let flavors = try await ObservedFlavor.all(in: try await session.compute().flavors).filter {
          $0.diskGB > 0 && $0.isPublic && $0.name.hasPrefix("SCS-")
        }
        let context = CheckContext(
          session: session, prefix: prefix, waiter: Waiter(timeout: .seconds(120), interval: .seconds(1)),
          flavors: flavors, images: [image])
        let outcome: Result<EntropyTestcases.ConsoleRun, Error>
        do {
          outcome = .success(try await EntropyTestcases.bootAndRead(context, bootFromVolume: false))
        } catch {
          outcome = .failure(error)
        }
        let network = try await session.network()
        let servers = try await session.compute().servers.list().collect().map(\.name)
        let names =
          servers + (try await network.networks.list().collect().map(\.name))
          + (try await network.routers.list().collect().map(\.name))
        return (outcome, names.filter { $0.hasPrefix(prefix) })
      }
    } catch {
      await Self.deleteImages([imageID])
      throw error
    }
    await Self.deleteImages([imageID])
    #expect(ContinuousClock.now - started < .seconds(150))
    switch outcome {
    case .success(let run): Issue.record("the fake hypervisor printed a console: \(run.collected)")
    case .failure(let error):
      #expect(error is Undecidable, "\(error)")
      #expect("\(error)".contains("Nova fake driver"), "\(error)")
    }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }

  @Test func defaultSecurityGroupRulesOfTheTestCloud() async throws {
    let results = try await Self.run(["scs-0115-default-rules"])
    let result = try #require(results["scs-0115-default-rules"])
    // The harness installs the SCS-compliant templates (no ingress, egress everywhere).
    #expect(result.verdict == .pass, "\(result.messages.map(\.line))")
  }

  @Test func adminCredentialsAbortEverything() async throws {
    let outcome = try await TestCloud.with("steward-admin") { session in
      await ComplianceRunner().run(
        ["scs-0100-syntax-check", "scs-0123-service-compute"],
        context: CheckContext(session: session, prefix: "scs-test-x-"))
    }
    #expect(outcome.results.allSatisfy { $0.verdict == .abort })
    #expect(outcome.results.first?.reason?.contains("role(s) admin") == true)
    #expect(outcome.runMessages.first?.level == .critical)
  }

  @Test func domainManagerChecksRunThroughTheAdminCloud() async throws {
    let results = try await TestCloud.with("steward-admin") { admin in
      try await Self.run(["domain-manager-check"], admin: admin)
    }
    let result = try #require(results["domain-manager-check"])
    // Whatever the policy, the verdict is decided, and a FAIL names the refused or allowed action.
    #expect(result.verdict != .abort, "\(result.messages.map(\.line))")
    if result.verdict == .fail {
      #expect(
        result.messages.contains {
          $0.level == .error && ($0.text.contains("Policy error") || $0.text.contains("'manager' role"))
        })
    }
    // Nothing left behind.
    let leftovers: [Domain] = try await TestCloud.with("steward-admin") { session in
      try await session.identity().domains.list().filter {
        $0.name.hasPrefix(CheckContext.resourcePrefix) && $0.name.contains("0302")
      }
    }
    #expect(leftovers.isEmpty, "\(leftovers.map(\.name))")
  }

  @Test func domainManagerWithTooWeakARoleFailsNamingTheRole() async throws {
    let outcome = try await TestCloud.with("steward-admin") { admin in
      try await TestCloud.with("steward-demo") { session in
        let context = CheckContext(session: session, adminSession: admin, prefix: CheckContext.runPrefix())
        let registry = TestcaseRegistry.standard.replacing([DomainManagerTestcase.testcase(managerRoleName: "reader")])
        return await ComplianceRunner(registry: registry).run(["domain-manager-check"], context: context)
      }
    }
    let result = try #require(outcome.results.first)
    #expect(result.verdict == .fail)
    #expect(
      result.messages.contains {
        $0.level == .error && $0.text.contains("role 'reader'") && $0.text.contains("cannot create a user")
      },
      "\(result.messages.map(\.line))")
  }

  @Test func cleanupPlansAndRemovesLeftovers() async throws {
    let name = CheckContext.runPrefix() + "leftover-sg"
    let (planned, succeeded, remaining): (Bool, Bool, Int) = try await TestCloud.with("steward-demo") { session in
      let network = try await session.network()
      let group = try await network.securityGroups.create(SecurityGroupCreate(name: name))
      let janitor = ComplianceJanitor(session: session)
      let plan = try await janitor.plan()
      let planned = plan.actionable.contains { $0.target == "\(name) (\(group.id))" && $0.action == .delete }
      // Apply only ours: other runs' leftovers are theirs to remove.
      let ours = Plan(plan.actionable.filter { $0.target.hasPrefix(name) })
      let report = try await janitor.apply(ours)
      let remaining = try await network.securityGroups.find(group.id) == nil ? 0 : 1
      return (planned, report.succeeded, remaining)
    }
    #expect(planned)
    #expect(succeeded)
    #expect(remaining == 0)
  }

  /// scs-0102 over fed images (public images on the shared Glance would disturb other tests): an image with
  /// complete SCS metadata passes every property check; one without fails them naming the image.
  @Test func imageMetadataChecksPassCompleteImagesAndNameIncompleteOnes() async throws {
    let today = ISO8601DateFormatter().string(from: Date()).prefix(10)
    func image(_ name: String, _ extra: [String: String]) throws -> Image {
      var body: [String: Any] = [
        "id": UUID().uuidString.lowercased(), "name": name, "status": "active", "visibility": "public",
        "min_disk": 1, "min_ram": 512, "size": 1 << 20, "os_hash_algo": "sha512", "os_hidden": false, "tags": [],
        "created_at": "\(today)T00:00:00Z",
      ]
      for (key, value) in extra { body[key] = value }
      return try JSONDecoder().decode(Image.self, from: JSONSerialization.data(withJSONObject: body))
    }
    let complete: [String: String] = [
      "architecture": "x86_64", "hypervisor_type": "kvm", "hw_disk_bus": "scsi", "hw_rng_model": "virtio",
      "os_distro": "ubuntu", "os_version": "24.04", "os_purpose": "generic", "image_build_date": String(today),
      "image_original_user": "ubuntu", "image_source": "https://cloud-images.ubuntu.com/releases/noble/x.img",
      "image_description": "https://docs.example/ubuntu", "replace_frequency": "quarterly",
      "provided_until": "none", "uuid_validity": "last-3", "hotfix_hours": "0",
    ]
    let ids = ImageMetadataTestcases.all.map(\.id)
    #expect(ids.count >= 20)
    let good = try await Self.run(ids, images: [try image("Ubuntu 24.04", complete)])
    for id in ids {
      #expect(good[id]?.verdict == .pass, "\(id): \(good[id]?.messages.map(\.line) ?? [])")
    }
    var broken = complete
    broken["architecture"] = "pdp11"
    broken.removeValue(forKey: "image_original_user")
    let bad = try await Self.run(
      ids, images: [try image("Ubuntu 24.04", complete), try image("Broken Linux", broken)])
    let architecture = try #require(bad["scs-0102-prop-architecture"])
    #expect(architecture.verdict == .fail)
    #expect(architecture.messages.contains { $0.line.contains("Broken Linux") })
    #expect(bad["scs-0102-prop-image_original_user"]?.verdict == .fail)
    #expect(bad["scs-0102-prop-os_distro"]?.verdict == .pass)
    // Two visible public generic images of the same distro, version and architecture are not unique.
    let twice = try await Self.run(
      ["scs-0102-os_purpose-uniqueness"],
      images: [try image("Ubuntu 24.04", complete), try image("Ubuntu 24.04 minimal", complete)])
    let uniqueness = try #require(twice["scs-0102-os_purpose-uniqueness"])
    #expect(uniqueness.verdict == .fail)
    #expect(uniqueness.messages.contains { $0.line.contains("Ubuntu 24.04 minimal") })
  }
}
