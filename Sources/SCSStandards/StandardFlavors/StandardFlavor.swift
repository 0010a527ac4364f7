/// What scs-0103 requires of one standard flavor, derived from its canonical name the way the reference
/// does: vCPUs and RAM as named, the disk only when the name has one, and the `scs:*` extra specs.
public struct StandardFlavor: Sendable, Hashable {
  public let name: FlavorName
  public let canonicalName: String
  public let vcpus: Int
  public let ramMiB: Int
  /// GB; `nil` for a diskless flavor (Nova: 0).
  public let diskGB: Int?
  public let extraSpecs: [String: String]
  /// The extra spec keys in the reference order (for output and generated definition files).
  public let extraSpecKeys: [String]

  public init(_ name: FlavorName) {
    self.name = name
    canonicalName = name.canonical
    vcpus = name.cpus
    ramMiB = Int(name.ram * 1024)
    diskGB = name.disk.map { $0.size ?? 0 }
    let specs = SCSExtraSpecs.derive(from: name)
    extraSpecKeys = specs.map(\.key)
    extraSpecs = Dictionary(specs.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
  }

  public init(canonical: String) throws(FlavorNameError) {
    self.init(try FlavorName(parsing: canonical))
  }
}
