/// The `scs:*` extra specs that scs-0103 derives from a name, so tools can find a flavor by its SCS name
/// even when the provider calls it something else. Ordered as the reference orders them.
public enum SCSExtraSpecs {
  /// `scs:cpu-type`, `scs:disk0-type`… (one per disk; an untyped disk counts as `network`), then
  /// `scs:name-v1`… for the full and short name in v1 and v2 syntax, deduplicated, longest first and
  /// v1 before v2 at equal length.
  public static func derive(from name: FlavorName) -> [(key: String, value: String)] {
    var specs: [(key: String, value: String)] = [("scs:cpu-type", name.cpuType.extraSpecValue)]
    if let disk = name.disk {
      let type = (disk.type ?? .network).extraSpecValue
      for index in 0..<max(disk.count, 0) { specs.append(("scs:disk\(index)-type", type)) }
    }
    let names = nameVariants(of: name)
    for (index, variant) in names.enumerated() { specs.append(("scs:name-v\(index + 1)", variant)) }
    return specs
  }

  /// The same as a dictionary.
  public static func dictionary(from name: FlavorName) -> [String: String] {
    Dictionary(derive(from: name).map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
  }

  /// Full and short name, each in v1 and v2 syntax, deduplicated, longest first, v1 before v2.
  public static func nameVariants(of name: FlavorName) -> [String] {
    struct Variant: Hashable {
      var text: String
      var syntax: FlavorNameSyntax
    }
    let full = name.formatted(.v2)
    let short = name.shortened.formatted(.v2)
    let variants: Set<Variant> = [
      Variant(text: FlavorNameSyntax.v1(fromV2: full), syntax: .v1), Variant(text: full, syntax: .v2),
      Variant(text: FlavorNameSyntax.v1(fromV2: short), syntax: .v1), Variant(text: short, syntax: .v2),
    ]
    return variants.sorted { lhs, rhs in
      if lhs.text.count != rhs.text.count { return lhs.text.count > rhs.text.count }
      if lhs.syntax != rhs.syntax { return lhs.syntax == .v1 }
      return lhs.text < rhs.text
    }.map(\.text)
  }
}
