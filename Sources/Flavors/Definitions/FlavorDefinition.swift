/// One flavor as a definition file wants it, in Nova's units. Keys containing `:` in the file are extra
/// specs, as in openstack-flavor-manager.
public struct FlavorDefinition: Sendable, Equatable {
  public var name: String
  /// Kept when given so a flavor has the same id in every region; Nova generates one otherwise.
  public var id: String?
  public var vcpus: Int
  public var ramMiB: Int
  public var diskGB: Int
  public var isPublic: Bool
  /// Read for compatibility; Nova offers no API to disable a flavor, so it is not synced.
  public var disabled: Bool
  /// Synced only when given (Nova 2.55).
  public var description: String?
  public var extraSpecs: [String: String]
  /// Where it was defined, for messages (`flavors.yaml:27`).
  public var source: String?

  public init(
    name: String, id: String? = nil, vcpus: Int, ramMiB: Int, diskGB: Int = 0, isPublic: Bool = true,
    disabled: Bool = false, description: String? = nil, extraSpecs: [String: String] = [:], source: String? = nil
  ) {
    self.name = name
    self.id = id
    self.vcpus = vcpus
    self.ramMiB = ramMiB
    self.diskGB = diskGB
    self.isPublic = isPublic
    self.disabled = disabled
    self.description = description
    self.extraSpecs = extraSpecs
    self.source = source
  }
}
