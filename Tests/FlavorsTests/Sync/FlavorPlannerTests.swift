import StewardCore
import Testing

@testable import Flavors

struct FlavorPlannerTests {
  let small = FlavorDefinition(
    name: "T-1V-2", vcpus: 1, ramMiB: 2048, diskGB: 0, extraSpecs: ["scs:cpu-type": "shared-core", "a:b": "1"])
  let big = FlavorDefinition(name: "T-4V-8-20", id: "fixed-id", vcpus: 4, ramMiB: 8192, diskGB: 20)

  func observed(_ definition: FlavorDefinition, id: String = "id", specs: [String: String]? = nil) -> ObservedFlavor {
    ObservedFlavor(
      id: definition.id ?? id, name: definition.name, vcpus: definition.vcpus, ramMiB: definition.ramMiB,
      diskGB: definition.diskGB, isPublic: definition.isPublic, extraSpecs: specs ?? definition.extraSpecs)
  }

  @Test func createsMissingFlavorsWithTheirIDs() {
    let result = FlavorPlanner.plan(desired: [small, big], observed: [], namePrefix: "T-", options: .init())
    #expect(result.plan.actionable.map(\.action) == [.create, .create])
    #expect(result.steps.map(\.operation) == [.create(small), .create(big)])
    #expect(result.plan.changes[1].details.contains("id: fixed-id"))
  }

  @Test func syncedCloudPlansNothing() {
    let result = FlavorPlanner.plan(
      desired: [small, big], observed: [observed(small), observed(big)], namePrefix: "T-",
      options: .init(pruneSpecs: true))
    #expect(result.plan.isEmpty)
    #expect(result.plan.count(.keep) == 2)
    #expect(result.steps.isEmpty)
  }

  @Test func missingAndWrongExtraSpecsAreSetInOneCall() {
    let drifted = observed(small, id: "s1", specs: ["scs:cpu-type": "dedicated-core", "other:key": "x"])
    let result = FlavorPlanner.plan(desired: [small], observed: [drifted], namePrefix: nil, options: .init())
    #expect(result.steps.map(\.operation) == [.setExtraSpecs(flavorID: "s1", specs: small.extraSpecs)])
    let change = result.plan.actionable[0]
    #expect(change.kind == "extra_specs")
    #expect(change.reason == "1 missing, 1 wrong")
    #expect(change.details == ["a:b: (missing) -> 1", "scs:cpu-type: dedicated-core -> shared-core"])
  }

  @Test func pruneRemovesUndefinedSpecsOnlyWhenAsked() {
    let extra = observed(small, id: "s1", specs: small.extraSpecs.merging(["other:key": "x"]) { $1 })
    #expect(FlavorPlanner.plan(desired: [small], observed: [extra], namePrefix: nil, options: .init()).plan.isEmpty)
    let pruned = FlavorPlanner.plan(
      desired: [small], observed: [extra], namePrefix: nil, options: .init(pruneSpecs: true))
    #expect(pruned.steps.map(\.operation) == [.deleteExtraSpec(flavorID: "s1", key: "other:key")])
    #expect(pruned.plan.actionable[0].target == "T-1V-2/other:key")
  }

  @Test func differingSizesRecreateWithTheSameIDAndKeepSpecs() {
    var wrong = observed(small, id: "s1", specs: ["scs:cpu-type": "shared-core", "a:b": "1", "keep:me": "y"])
    wrong.ramMiB = 1024
    wrong.isPublic = false
    let result = FlavorPlanner.plan(desired: [small], observed: [wrong], namePrefix: nil, options: .init())
    #expect(result.plan.actionable.count == 1)
    #expect(result.plan.actionable[0].details == ["ram: 1024 -> 2048", "public: false -> true"])
    #expect(
      result.steps[0].operation
        == .recreate(
          existingID: "s1", definition: small, id: "s1", extraSpecs: small.extraSpecs.merging(["keep:me": "y"]) { $1 }))
  }

  @Test func definedIDDifferentFromNovaRecreates() {
    let other = observed(big, id: "x")
    var moved = other
    moved.id = "nova-made"
    let result = FlavorPlanner.plan(desired: [big], observed: [moved], namePrefix: nil, options: .init())
    #expect(result.plan.actionable[0].details == ["id: nova-made -> fixed-id"])
    if case .recreate(let existing, _, let id, _) = result.steps[0].operation {
      #expect(existing == "nova-made" && id == "fixed-id")
    } else {
      Issue.record("expected a recreate")
    }
  }

  @Test func descriptionIsSyncedOnlyWhenDefined() {
    var described = small
    described.description = "new"
    var current = observed(small, id: "s1")
    current.description = "old"
    #expect(FlavorPlanner.plan(desired: [small], observed: [current], namePrefix: nil, options: .init()).plan.isEmpty)
    let result = FlavorPlanner.plan(desired: [described], observed: [current], namePrefix: nil, options: .init())
    #expect(result.steps.map(\.operation) == [.setDescription(flavorID: "s1", description: "new")])
  }

  @Test func extraFlavorsAreKeptDeletedOrRetiredOnlyWithinThePrefix() {
    let stray = ObservedFlavor(id: "e1", name: "T-9V-9", vcpus: 9, ramMiB: 9216, diskGB: 0, extraSpecs: ["k:v": "1"])
    let foreign = ObservedFlavor(id: "f1", name: "m1.small", vcpus: 1, ramMiB: 2048, diskGB: 20)
    let cloud = [observed(small), stray, foreign]
    #expect(FlavorPlanner.plan(desired: [small], observed: cloud, namePrefix: "T-", options: .init()).plan.isEmpty)
    let deleting = FlavorPlanner.plan(
      desired: [small], observed: cloud, namePrefix: "T-", options: .init(extraFlavors: .delete))
    #expect(deleting.steps.map(\.operation) == [.delete(flavorID: "e1")])
    let retiring = FlavorPlanner.plan(
      desired: [small], observed: cloud, namePrefix: "T-", options: .init(extraFlavors: .retire))
    #expect(retiring.plan.actionable.map(\.action) == [.retire])
    if case .recreate(let existing, let definition, let id, let specs) = retiring.steps[0].operation {
      #expect(existing == "e1" && id == "e1" && definition.isPublic == false && specs == ["k:v": "1"])
    } else {
      Issue.record("expected a recreate")
    }
    // Without a prefix nothing counts as extra.
    #expect(
      FlavorPlanner.plan(desired: [small], observed: cloud, namePrefix: nil, options: .init(extraFlavors: .delete)).plan
        .isEmpty)
  }

  @Test func limitRestrictsDefinedAndExtraFlavors() {
    let stray = ObservedFlavor(id: "e1", name: "T-9V-9", vcpus: 9, ramMiB: 9216, diskGB: 0)
    let options = FlavorSyncOptions(extraFlavors: .delete, limit: ["T-4V-*"])
    let result = FlavorPlanner.plan(desired: [small, big], observed: [stray], namePrefix: "T-", options: options)
    #expect(result.plan.changes.map(\.target) == ["T-4V-8-20"])
  }

  @Test func wildcardMatching() {
    #expect(FlavorSyncOptions.matches("SCS-1V-4", pattern: "SCS-1V-*"))
    #expect(FlavorSyncOptions.matches("SCS-1V-4", pattern: "*-4"))
    #expect(FlavorSyncOptions.matches("SCS-1V-4", pattern: "SCS-*V-*"))
    #expect(!FlavorSyncOptions.matches("SCS-1V-4-10", pattern: "SCS-*-4"))
    #expect(FlavorSyncOptions.matches("SCS-1V-4", pattern: "SCS-1V-4"))
    #expect(!FlavorSyncOptions.matches("SCS-1V-4", pattern: "SCS-1V"))
  }
}
