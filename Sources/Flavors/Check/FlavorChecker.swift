import SCSStandards

/// The SCS flavor checks of the official compliance suite (scs-0100 syntax and semantics, scs-0103
/// standard flavors), run on flavors already listed, so they are pure and unit tested.
public enum FlavorChecker {
  public static func check(_ flavors: [ObservedFlavor]) -> [FlavorCheckResult] {
    let checks = nameChecks(flavors)
    return [syntax(checks), semantics(checks), standardFlavors(flavors)]
  }

  /// The `SCS-` flavors with their parsed names, sorted by name (the input of the scs-0100 checks).
  public static func nameChecks(_ flavors: [ObservedFlavor]) -> [(ObservedFlavor, FlavorNameCheck)] {
    flavors.filter { $0.name.hasPrefix(FlavorNameSyntax.prefix) }.sorted { $0.name < $1.name }
      .map { ($0, FlavorNameCheck($0.name)) }
  }

  /// Every `SCS-` flavor has a valid name; v1 names pass with a warning, as in the reference.
  public static func syntax(_ checks: [(ObservedFlavor, FlavorNameCheck)]) -> FlavorCheckResult {
    var result = FlavorCheckResult(check: "scs-0100-syntax-check")
    for (_, check) in checks {
      switch check.verdict {
      case .valid: break
      case .toleratedV1(let parsed):
        result.warnings.append("\(check.name): v1 name, tolerated; its v3 name is \(parsed.canonical)")
      case .invalid(let error):
        result.problems.append(error.description)
      }
    }
    return result
  }

  /// No flavor promises more than it has: vCPUs, RAM (rounded to 0.1 GiB as the reference does) and disk.
  public static func semantics(_ checks: [(ObservedFlavor, FlavorNameCheck)]) -> FlavorCheckResult {
    var result = FlavorCheckResult(check: "scs-0100-semantics-check")
    for (flavor, check) in checks {
      guard let name = check.flavorName else { continue }
      if flavor.vcpus < name.cpus {
        result.problems.append("\(flavor.name): CPU overpromise: \(flavor.vcpus) vCPUs < \(name.cpus)")
      }
      let ramGiB = Double(Int((Double(flavor.ramMiB) + 51) / 102.4)) / 10
      if ramGiB < name.ram {
        result.problems.append(
          "\(flavor.name): RAM overpromise: \(ramGiB) GiB < \(FlavorName.format(ram: name.ram)) GiB")
      }
      let disk = name.disk?.size ?? 0
      if flavor.diskGB < disk {
        result.problems.append("\(flavor.name): disk overpromise: \(flavor.diskGB) GB < \(disk) GB")
      }
    }
    return result
  }

  /// Every mandatory scs-0103 flavor exists (found by `scs:name-v2`, else by name) with exactly the
  /// vCPUs, RAM, disk and `scs:*` specs of its name; missing recommended ones are warnings.
  static func standardFlavors(_ flavors: [ObservedFlavor]) -> FlavorCheckResult {
    var result = FlavorCheckResult(check: "scs-0103-standard-flavors")
    let lookup = standardLookup(flavors)
    for standard in StandardFlavors.mandatory {
      result.problems += problems(of: standard, in: lookup)
    }
    for standard in StandardFlavors.recommended {
      result.warnings += problems(of: standard, in: lookup, role: "recommended")
    }
    return result
  }

  /// Flavors by the name scs-0103 knows them by: `scs:name-v2` first (the last flavor claiming a name
  /// wins, as in the reference's dict comprehension), else an `SCS-` flavor's own name (the first wins).
  public static func standardLookup(_ flavors: [ObservedFlavor]) -> [String: ObservedFlavor] {
    var lookup: [String: ObservedFlavor] = [:]
    for flavor in flavors {
      if let name = flavor.extraSpecs["scs:name-v2"] { lookup[name] = flavor }
    }
    for flavor in flavors where flavor.name.hasPrefix(FlavorNameSyntax.prefix) && lookup[flavor.name] == nil {
      lookup[flavor.name] = flavor
    }
    return lookup
  }

  /// What is wrong with one standard flavor on the cloud (empty when it is there exactly as named):
  /// one line naming the flavor, as the official `scs-0103-flavor-*` testcases log it.
  public static func problems(
    of standard: StandardFlavor, in lookup: [String: ObservedFlavor], role: String = "mandatory"
  ) -> [String] {
    guard let flavor = lookup[standard.canonicalName] else {
      return ["\(standard.canonicalName): \(role) standard flavor missing"]
    }
    let mismatches = compare(flavor, standard)
    return mismatches.isEmpty ? [] : ["\(flavor.name): \(mismatches.joined(separator: "; "))"]
  }

  static func compare(_ flavor: ObservedFlavor, _ standard: StandardFlavor) -> [String] {
    var mismatches: [String] = []
    if flavor.vcpus != standard.vcpus { mismatches.append("vcpus: \(flavor.vcpus) should be \(standard.vcpus)") }
    if flavor.ramMiB != standard.ramMiB { mismatches.append("ram: \(flavor.ramMiB) should be \(standard.ramMiB)") }
    if flavor.diskGB != standard.diskGB ?? 0 {
      mismatches.append("disk: \(flavor.diskGB) should be \(standard.diskGB ?? 0)")
    }
    for key in standard.extraSpecKeys where flavor.extraSpecs[key] != standard.extraSpecs[key] {
      mismatches.append(
        "\(key): \(flavor.extraSpecs[key].map { "'\($0)'" } ?? "missing") should be '\(standard.extraSpecs[key]!)'")
    }
    return mismatches
  }
}
