import SCSStandards

/// The SCS flavor checks of the official compliance suite (scs-0100 syntax and semantics, scs-0103
/// standard flavors), run on flavors already listed, so they are pure and unit tested.
public enum FlavorChecker {
  public static func check(_ flavors: [ObservedFlavor]) -> [FlavorCheckResult] {
    let scsFlavors = flavors.filter { $0.name.hasPrefix(FlavorNameSyntax.prefix) }.sorted { $0.name < $1.name }
    let checks = scsFlavors.map { ($0, FlavorNameCheck($0.name)) }
    return [syntax(checks), semantics(checks), standardFlavors(flavors)]
  }

  /// Every `SCS-` flavor has a valid name; v1 names pass with a warning, as in the reference.
  static func syntax(_ checks: [(ObservedFlavor, FlavorNameCheck)]) -> FlavorCheckResult {
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
  static func semantics(_ checks: [(ObservedFlavor, FlavorNameCheck)]) -> FlavorCheckResult {
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
    var lookup: [String: ObservedFlavor] = [:]
    for flavor in flavors {
      if let name = flavor.extraSpecs["scs:name-v2"], lookup[name] == nil { lookup[name] = flavor }
    }
    for flavor in flavors where flavor.name.hasPrefix(FlavorNameSyntax.prefix) && lookup[flavor.name] == nil {
      lookup[flavor.name] = flavor
    }
    for standard in StandardFlavors.mandatory {
      guard let flavor = lookup[standard.canonicalName] else {
        result.problems.append("\(standard.canonicalName): mandatory standard flavor missing")
        continue
      }
      let mismatches = compare(flavor, standard)
      if !mismatches.isEmpty {
        result.problems.append("\(flavor.name): \(mismatches.joined(separator: "; "))")
      }
    }
    for standard in StandardFlavors.recommended {
      guard let flavor = lookup[standard.canonicalName] else {
        result.warnings.append("\(standard.canonicalName): recommended standard flavor missing")
        continue
      }
      let mismatches = compare(flavor, standard)
      if !mismatches.isEmpty { result.warnings.append("\(flavor.name): \(mismatches.joined(separator: "; "))") }
    }
    return result
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
