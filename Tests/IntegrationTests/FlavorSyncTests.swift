import Foundation
import OpenStack
import SCSStandards
import StewardCore
import Testing

@testable import Flavors

/// Flavor sync and the SCS checks against the real local Nova. Most tests use their own small definition
/// set under a unique name prefix, so they neither see nor disturb other flavors; one test syncs the
/// whole built-in scs set (global `SCS-*` flavors that may already exist from earlier runs).
@Suite("Flavor sync and checks against the real Nova", .testCloud, .serialized)
struct FlavorSyncTests {
  /// A set under a prefix no other run uses.
  static func definitions(_ prefix: String) -> [FlavorDefinition] {
    [
      FlavorDefinition(
        name: prefix + "1V-2", vcpus: 1, ramMiB: 2048, diskGB: 0,
        extraSpecs: ["scs:cpu-type": "shared-core", "hw_rng:allowed": "True"]),
      FlavorDefinition(
        name: prefix + "2V-4-10", id: UUID().uuidString.lowercased(), vcpus: 2, ramMiB: 4096, diskGB: 10,
        description: "fixed id", extraSpecs: ["scs:cpu-type": "shared-core", "scs:disk0-type": "network"]),
      FlavorDefinition(name: prefix + "private", vcpus: 1, ramMiB: 512, diskGB: 1, isPublic: false),
    ]
  }

  static func flavors(_ prefix: String, _ api: FlavorsAPI) async throws -> [String: ObservedFlavor] {
    let all = try await ObservedFlavor.all(in: api).filter { $0.name.hasPrefix(prefix) }
    return Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
  }

  static func cleanUp(_ prefix: String, _ api: FlavorsAPI) async {
    for flavor in (try? await flavors(prefix, api).values) ?? [:].values { try? await api.delete(flavor.id) }
  }

  func reconciler(
    _ api: FlavorsAPI, _ desired: [FlavorDefinition], _ prefix: String, _ options: FlavorSyncOptions = .init()
  )
    -> FlavorReconciler
  {
    FlavorReconciler(flavors: api, desired: desired, namePrefix: prefix, options: options)
  }

  @Test func createsFromEmptyThenPlansNothing() async throws {
    try await TestCloud.with("steward-admin") { session in
      let api = try await session.compute().flavors
      let prefix = TestCloud.name("sync") + "-"
      let desired = Self.definitions(prefix)
      do {
        let (plan, report) = try await reconciler(api, desired, prefix).run(dryRun: false)
        #expect(plan.actionable.map(\.action) == [.create, .create, .create])
        let applied = try #require(report)
        #expect(applied.succeeded, "\(applied.failures)")

        let found = try await Self.flavors(prefix, api)
        #expect(found.count == 3)
        let fixed = try #require(found[prefix + "2V-4-10"])
        #expect(fixed.id == desired[1].id)
        #expect(fixed.vcpus == 2 && fixed.ramMiB == 4096 && fixed.diskGB == 10)
        #expect(fixed.description == "fixed id")
        #expect(fixed.extraSpecs == desired[1].extraSpecs)
        #expect(found[prefix + "private"]?.isPublic == false)
        #expect(found[prefix + "1V-2"]?.extraSpecs == desired[0].extraSpecs)

        // Idempotent: the second run plans nothing, even with pruning on.
        let again = try await reconciler(api, desired, prefix, .init(pruneSpecs: true)).run(dryRun: false)
        #expect(again.0.isEmpty, "\(again.0.actionable)")
        #expect(again.1 == nil)
      } catch {
        await Self.cleanUp(prefix, api)
        throw error
      }
      await Self.cleanUp(prefix, api)
    }
  }

  @Test func repairsDriftAndPrunesSpecs() async throws {
    try await TestCloud.with("steward-admin") { session in
      let api = try await session.compute().flavors
      let prefix = TestCloud.name("drift") + "-"
      let desired = Self.definitions(prefix)
      do {
        #expect(try await reconciler(api, desired, prefix).run(dryRun: false).1?.succeeded == true)
        var found = try await Self.flavors(prefix, api)
        let small = try #require(found[prefix + "1V-2"])
        let fixed = try #require(found[prefix + "2V-4-10"])

        // Drift: a wrong spec, a missing spec, an unwanted spec, and a flavor with the wrong RAM.
        try await api.setExtraSpecs(small.id, ["scs:cpu-type": "dedicated-core", "unwanted:key": "1"])
        try await api.deleteExtraSpec(small.id, key: "hw_rng:allowed")
        try await api.delete(fixed.id)
        _ = try await api.create(FlavorCreate(name: fixed.name, id: fixed.id, vcpus: 2, ram: 1024, disk: 10))

        // Dry run shows the drift and changes nothing.
        let dry = try await reconciler(api, desired, prefix).run(dryRun: true)
        #expect(dry.1 == nil)
        #expect(dry.0.actionable.map(\.kind).sorted() == ["extra_specs", "flavor"])
        #expect(try await Self.flavors(prefix, api)[small.name]?.extraSpecs["scs:cpu-type"] == "dedicated-core")

        let (plan, report) = try await reconciler(api, desired, prefix).run(dryRun: false)
        let specChange = try #require(plan.actionable.first { $0.kind == "extra_specs" })
        #expect(specChange.reason == "1 missing, 1 wrong")
        let recreate = try #require(plan.actionable.first { $0.kind == "flavor" })
        #expect(recreate.details == ["ram: 1024 -> 4096"])
        #expect(report?.succeeded == true, "\(report?.failures ?? [])")

        found = try await Self.flavors(prefix, api)
        #expect(found[small.name]?.extraSpecs == desired[0].extraSpecs.merging(["unwanted:key": "1"]) { $1 })
        #expect(found[fixed.name]?.id == fixed.id)
        #expect(found[fixed.name]?.ramMiB == 4096)
        #expect(found[fixed.name]?.extraSpecs == desired[1].extraSpecs)

        // Without --prune-specs the unwanted spec stays and nothing is planned; with it, it goes.
        #expect(try await reconciler(api, desired, prefix).plan().isEmpty)
        let pruning = reconciler(api, desired, prefix, .init(pruneSpecs: true))
        let (prunePlan, pruneReport) = try await pruning.run(dryRun: false)
        #expect(prunePlan.actionable.map(\.target) == [small.name + "/unwanted:key"])
        #expect(pruneReport?.succeeded == true)
        #expect(try await api.extraSpecs(small.id) == desired[0].extraSpecs)
        #expect(try await reconciler(api, desired, prefix, .init(pruneSpecs: true)).plan().isEmpty)
      } catch {
        await Self.cleanUp(prefix, api)
        throw error
      }
      await Self.cleanUp(prefix, api)
    }
  }

  @Test func retiresOrDeletesExtraFlavorsOnlyWhenAsked() async throws {
    try await TestCloud.with("steward-admin") { session in
      let api = try await session.compute().flavors
      let prefix = TestCloud.name("extra") + "-"
      let desired = Array(Self.definitions(prefix).prefix(1))
      do {
        let stray = try await api.create(
          FlavorCreate(name: prefix + "stray", vcpus: 1, ram: 256, disk: 1, isPublic: true))
        try await api.setExtraSpecs(stray.id, ["keep:me": "yes"])
        #expect(try await reconciler(api, desired, prefix).run(dryRun: false).1?.succeeded == true)
        #expect(try await Self.flavors(prefix, api)[stray.name] != nil)

        let (retirePlan, retireReport) = try await reconciler(api, desired, prefix, .init(extraFlavors: .retire))
          .run(dryRun: false)
        #expect(retirePlan.actionable.map(\.action) == [.retire])
        #expect(retireReport?.succeeded == true)
        let retired = try #require(try await Self.flavors(prefix, api)[stray.name])
        #expect(retired.id == stray.id && retired.isPublic == false && retired.extraSpecs == ["keep:me": "yes"])
        #expect(try await reconciler(api, desired, prefix, .init(extraFlavors: .retire)).plan().isEmpty)

        let (deletePlan, deleteReport) = try await reconciler(api, desired, prefix, .init(extraFlavors: .delete))
          .run(dryRun: false)
        #expect(deletePlan.actionable.map(\.action) == [.delete])
        #expect(deleteReport?.succeeded == true)
        #expect(try await Self.flavors(prefix, api)[stray.name] == nil)
      } catch {
        await Self.cleanUp(prefix, api)
        throw error
      }
      await Self.cleanUp(prefix, api)
    }
  }

  @Test func failedChangesAreReported() async throws {
    try await TestCloud.with("steward-admin") { session in
      let api = try await session.compute().flavors
      let prefix = TestCloud.name("fail") + "-"
      // Nova rejects a negative disk; the other flavor must still be created.
      let desired = [
        FlavorDefinition(name: prefix + "bad", vcpus: 1, ramMiB: 512, diskGB: -1),
        FlavorDefinition(name: prefix + "good", vcpus: 1, ramMiB: 512, diskGB: 1),
      ]
      let (_, report) = try await reconciler(api, desired, prefix).run(dryRun: false)
      let failures = try #require(report).failures
      await Self.cleanUp(prefix, api)
      #expect(failures.map(\.change.target) == [prefix + "bad"])
      #expect(failures.first?.error?.contains("400") == true)
    }
  }

  /// The whole scs set (mandatory and recommended, 31 flavors): sync, idempotency, check PASS; then one
  /// flavor's spec drifts, check FAILs and sync repairs it.
  @Test func syncsTheSCSSetAndChecksIt() async throws {
    try await TestCloud.with("steward-admin") { session in
      let api = try await session.compute().flavors
      let set = BuiltinDefinitions.scs
      let desired = set.selected(recommended: true, limitMemoryGB: 128)
      #expect(desired.count == 31)
      let scs = FlavorReconciler(flavors: api, desired: desired, namePrefix: set.namePrefix, options: .init())
      let (_, report) = try await scs.run(dryRun: false)
      #expect(report?.succeeded != false, "\(report?.failures ?? [])")
      #expect(try await scs.plan().isEmpty)

      func standardCheck() async throws -> FlavorCheckResult {
        FlavorChecker.check(try await ObservedFlavor.all(in: api)).first { $0.check == "scs-0103-standard-flavors" }!
      }
      let passing = try await standardCheck()
      #expect(passing.passed, "\(passing.problems)")
      #expect(passing.warnings.isEmpty)

      let drifted = try #require(try await ObservedFlavor.all(in: api).first { $0.name == "SCS-2V-4-20s" })
      try await api.setExtraSpecs(drifted.id, ["scs:disk0-type": "network"])
      let failing = try await standardCheck()
      #expect(!failing.passed)
      #expect(failing.problems.contains("SCS-2V-4-20s: scs:disk0-type: 'network' should be 'ssd'"))

      let repair = try await scs.run(dryRun: false)
      #expect(repair.0.actionable.map(\.target) == ["SCS-2V-4-20s"])
      #expect(repair.1?.succeeded == true)
      #expect(try await standardCheck().passed)
    }
  }
}
