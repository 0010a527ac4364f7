import OpenStack
import StewardCore

/// Syncs Nova's flavors to definitions: observes all flavors in one paged list, plans with
/// `FlavorPlanner`, and applies the plan with concurrent calls (one task per flavor, at most
/// `options.concurrency` at a time), so syncing 31 flavors costs roughly the latency of one.
public struct FlavorReconciler: Reconciler {
  let flavors: FlavorsAPI
  let desired: [FlavorDefinition]
  let namePrefix: String?
  let options: FlavorSyncOptions
  /// The operations of the last plan; `apply` runs only these, matched by change id.
  private let planned = PlannedSteps<FlavorPlan.Step>()

  public init(flavors: FlavorsAPI, desired: [FlavorDefinition], namePrefix: String?, options: FlavorSyncOptions) {
    self.flavors = flavors
    self.desired = desired
    self.namePrefix = namePrefix
    self.options = options
  }

  public func plan() async throws -> Plan {
    let observed = try await ObservedFlavor.all(in: flavors)
    let result = FlavorPlanner.plan(desired: desired, observed: observed, namePrefix: namePrefix, options: options)
    planned.store(result.steps)
    return result.plan
  }

  public func apply(_ plan: Plan) async throws -> ApplyReport {
    let steps = try planned.steps(for: plan.actionable)
    let flavors = self.flavors
    let validation: FlavorsAPI.SpecValidation = options.strictSpecs ? .strict : .permissive
    // One group per flavor, in plan order: a failed change skips the later changes to that flavor.
    return await ApplyReport.concurrentGroups(
      steps, groupedBy: { $0.operation.flavorKey }, concurrency: options.concurrency
    ) { group in
      var errors: [String?] = []
      var failed: String?
      for step in group {
        if let failed {
          errors.append("skipped: an earlier change to this flavor failed (\(failed))")
          continue
        }
        do {
          try await Self.perform(step.operation, on: flavors, validation: validation)
          errors.append(nil)
        } catch {
          let message = String(describing: error)
          failed = message
          errors.append(message)
        }
      }
      return errors
    }
  }

  static func perform(
    _ operation: FlavorOperation, on flavors: FlavorsAPI, validation: FlavorsAPI.SpecValidation
  ) async throws {
    switch operation {
    case .create(let definition):
      let created = try await flavors.create(request(definition, id: definition.id))
      if !definition.extraSpecs.isEmpty {
        try await flavors.setExtraSpecs(created.id, definition.extraSpecs, validation: validation)
      }
    case .recreate(let existingID, let definition, let id, let specs):
      try await flavors.delete(existingID)
      let created = try await flavors.create(request(definition, id: id))
      if !specs.isEmpty { try await flavors.setExtraSpecs(created.id, specs, validation: validation) }
    case .setDescription(let id, let description):
      _ = try await flavors.setDescription(id, description)
    case .setExtraSpecs(let id, let specs):
      try await flavors.setExtraSpecs(id, specs, validation: validation)
    case .deleteExtraSpec(let id, let key):
      try await flavors.deleteExtraSpec(id, key: key)
    case .delete(let id):
      try await flavors.delete(id)
    }
  }

  static func request(_ definition: FlavorDefinition, id: String?) -> FlavorCreate {
    FlavorCreate(
      name: definition.name, id: id, vcpus: definition.vcpus, ram: definition.ramMiB, disk: definition.diskGB,
      isPublic: definition.isPublic, description: definition.description)
  }
}
