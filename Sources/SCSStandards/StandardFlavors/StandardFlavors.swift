/// The standard flavors of scs-0103 v1, in the order of the standard. Every SCS-compatible cloud must
/// offer the mandatory ones with exactly these properties; the recommended ones should be there too.
public enum StandardFlavors {
  public static let mandatoryNames = [
    "SCS-1V-4", "SCS-2V-8", "SCS-4V-16", "SCS-8V-32", "SCS-1V-2", "SCS-2V-4", "SCS-4V-8", "SCS-8V-16",
    "SCS-16V-32", "SCS-1V-8", "SCS-2V-16", "SCS-4V-32", "SCS-1L-1", "SCS-2V-4-20s", "SCS-4V-16-100s",
  ]

  public static let recommendedNames = [
    "SCS-1V-4-10", "SCS-2V-8-20", "SCS-4V-16-50", "SCS-8V-32-100", "SCS-1V-2-5", "SCS-2V-4-10", "SCS-4V-8-20",
    "SCS-8V-16-50", "SCS-16V-32-100", "SCS-1V-8-20", "SCS-2V-16-50", "SCS-4V-32-100", "SCS-1L-1-5",
    // larger memory flavors, also recommended (1:4 and 1:8)
    "SCS-16V-64", "SCS-8V-64", "SCS-16V-128",
  ]

  public static let mandatory: [StandardFlavor] = mandatoryNames.map(standard)
  public static let recommended: [StandardFlavor] = recommendedNames.map(standard)

  /// The names above are constants checked by the tests, so failing to parse one is a programming error.
  private static func standard(_ name: String) -> StandardFlavor {
    do {
      return try StandardFlavor(canonical: name)
    } catch {
      preconditionFailure("scs-0103 standard flavor name does not parse: \(error)")
    }
  }
}
