import StewardCore

/// Compares the wanted flavors with what Nova has and says what to do — pure, so every decision is unit
/// tested without a cloud, and a second run over a synced cloud finds nothing to do.
public enum FlavorPlanner {
  public static func plan(
    desired: [FlavorDefinition], observed: [ObservedFlavor], namePrefix: String?, options: FlavorSyncOptions
  ) -> FlavorPlan {
    var result = FlavorPlan()
    let byName = Dictionary(observed.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let wanted = desired.filter { options.includes($0.name) }
    for definition in wanted {
      if let existing = byName[definition.name] {
        planExisting(definition, existing, options: options, into: &result)
      } else {
        result.add(
          Change(.create, kind: "flavor", target: definition.name, reason: "missing", details: describe(definition)),
          .create(definition))
      }
    }
    guard options.extraFlavors != .keep, let namePrefix else { return result }
    let wantedNames = Set(desired.map(\.name))
    let extras = observed.filter {
      $0.name.hasPrefix(namePrefix) && !wantedNames.contains($0.name) && options.includes($0.name)
    }
    for extra in extras.sorted(by: { $0.name < $1.name }) {
      switch options.extraFlavors {
      case .keep: break
      case .delete:
        result.add(
          Change(
            .delete, kind: "flavor", target: extra.name, reason: "not in the definitions", details: ["id: \(extra.id)"]),
          .delete(flavorID: extra.id))
      case .retire where extra.isPublic:
        let privateCopy = FlavorDefinition(
          name: extra.name, vcpus: extra.vcpus, ramMiB: extra.ramMiB, diskGB: extra.diskGB, isPublic: false,
          description: extra.description, extraSpecs: extra.extraSpecs)
        result.add(
          Change(
            .retire, kind: "flavor", target: extra.name,
            reason: "not in the definitions: made private (recreated with the same id)", details: ["id: \(extra.id)"]),
          .recreate(existingID: extra.id, definition: privateCopy, id: extra.id, extraSpecs: extra.extraSpecs))
      case .retire:
        result.keep(
          Change(.keep, kind: "flavor", target: extra.name, reason: "not in the definitions, already private"))
      }
    }
    return result
  }

  static func planExisting(
    _ definition: FlavorDefinition, _ existing: ObservedFlavor, options: FlavorSyncOptions,
    into result: inout FlavorPlan
  ) {
    var differences: [String] = []
    if existing.vcpus != definition.vcpus { differences.append("vcpus: \(existing.vcpus) -> \(definition.vcpus)") }
    if existing.ramMiB != definition.ramMiB { differences.append("ram: \(existing.ramMiB) -> \(definition.ramMiB)") }
    if existing.diskGB != definition.diskGB { differences.append("disk: \(existing.diskGB) -> \(definition.diskGB)") }
    if existing.isPublic != definition.isPublic {
      differences.append("public: \(existing.isPublic) -> \(definition.isPublic)")
    }
    if let id = definition.id, id != existing.id { differences.append("id: \(existing.id) -> \(id)") }

    let specChanges = definition.extraSpecs.filter { existing.extraSpecs[$0.key] != $0.value }
    let unwanted = existing.extraSpecs.keys.filter { definition.extraSpecs[$0] == nil }.sorted()
    let descriptionChange = definition.description.flatMap { $0 != existing.description ? $0 : nil }

    if !differences.isEmpty {
      // Nova cannot change these in place: recreate, keeping the id unless the definition names another,
      // and carrying over specs that are not pruned.
      var specs = definition.extraSpecs
      if !options.pruneSpecs {
        for key in unwanted { specs[key] = existing.extraSpecs[key] }
      }
      var recreated = definition
      if recreated.description == nil { recreated.description = existing.description }
      let names = differences.map { String($0.prefix { $0 != ":" }) }.joined(separator: ", ")
      result.add(
        Change(
          .update, kind: "flavor", target: definition.name,
          reason: "\(names) differ; Nova cannot change them, so the flavor is recreated", details: differences),
        .recreate(existingID: existing.id, definition: recreated, id: definition.id ?? existing.id, extraSpecs: specs))
      return
    }

    var changed = false
    if let descriptionChange {
      changed = true
      result.add(
        Change(
          .update, kind: "description", target: definition.name, reason: "differs",
          details: ["\(existing.description ?? "(none)") -> \(descriptionChange)"]),
        .setDescription(flavorID: existing.id, description: descriptionChange))
    }
    if !specChanges.isEmpty {
      changed = true
      let missing = specChanges.keys.filter { existing.extraSpecs[$0] == nil }.count
      let wrong = specChanges.count - missing
      let reason = [missing > 0 ? "\(missing) missing" : nil, wrong > 0 ? "\(wrong) wrong" : nil].compactMap { $0 }
        .joined(separator: ", ")
      let details = specChanges.keys.sorted().map { key in
        "\(key): \(existing.extraSpecs[key] ?? "(missing)") -> \(specChanges[key]!)"
      }
      result.add(
        Change(.update, kind: "extra_specs", target: definition.name, reason: reason, details: details),
        .setExtraSpecs(flavorID: existing.id, specs: specChanges))
    }
    if options.pruneSpecs {
      for key in unwanted {
        changed = true
        result.add(
          Change(
            .delete, kind: "extra_spec", target: "\(definition.name)/\(key)",
            reason: "not in the definition (--prune-specs)",
            details: ["\(key): \(existing.extraSpecs[key]!)"]),
          .deleteExtraSpec(flavorID: existing.id, key: key))
      }
    }
    if !changed {
      result.keep(Change(.keep, kind: "flavor", target: definition.name, reason: "matches the definition"))
    }
  }

  /// `vcpus 2, ram 4096 MiB, disk 20 GB, public` and the extra specs, for a create.
  static func describe(_ definition: FlavorDefinition) -> [String] {
    var lines = [
      "vcpus \(definition.vcpus), ram \(definition.ramMiB) MiB, disk \(definition.diskGB) GB, "
        + (definition.isPublic ? "public" : "private")
    ]
    if let id = definition.id { lines.append("id: \(id)") }
    if let description = definition.description { lines.append("description: \(description)") }
    lines += definition.extraSpecs.keys.sorted().map { "\($0): \(definition.extraSpecs[$0]!)" }
    return lines
  }
}
