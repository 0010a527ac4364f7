import SCSStandards

/// The `scs` set, built from the scs-0103 standard flavor names through the naming library rather than
/// downloaded: it works offline and cannot drift from what `flavors check` expects. It equals the
/// standard's generated `SCS-Spec.MandatoryFlavors.verbose.yaml` (the tests compare them).
public enum BuiltinDefinitions {
  public static let scsNamePrefix = "SCS-"

  public static var scs: FlavorDefinitionSet {
    FlavorDefinitionSet(
      mandatory: StandardFlavors.mandatory.map(definition), recommended: StandardFlavors.recommended.map(definition),
      namePrefix: scsNamePrefix)
  }

  static func definition(_ flavor: StandardFlavor) -> FlavorDefinition {
    FlavorDefinition(
      name: flavor.canonicalName, vcpus: flavor.vcpus, ramMiB: flavor.ramMiB, diskGB: flavor.diskGB ?? 0,
      extraSpecs: flavor.extraSpecs, source: "built-in scs-0103")
  }
}
