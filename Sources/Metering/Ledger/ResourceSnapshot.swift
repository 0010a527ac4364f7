/// What a resource looked like at one moment, as a notification or an API listing described it. The
/// ledger uses `projectID`, `state` and `spec`; the view keeps all of it.
public struct ResourceSnapshot: Sendable, Hashable, Codable {
  public var projectID: String?
  public var userID: String?
  public var name: String?
  /// Ledger state: Nova's vm_state for servers (active, stopped, suspended, paused, shelved,
  /// shelved_offloaded, resized, error, building), Cinder's status for volumes, Glance's status for images,
  /// `associated`/`allocated` for floating IPs, the service's status for the rest.
  public var state: String
  public var spec: ResourceSpec
  /// The stack (rack) a server belongs to.
  public var stackID: String?
  /// Servers a volume is attached to.
  public var attachedTo: [String]
  /// The network of a port or floating IP.
  public var networkID: String?
  /// The device (server, router) using a port; the port a floating IP is associated with.
  public var deviceID: String?
  /// A floating IP's address.
  public var address: String?

  public init(
    projectID: String?, userID: String? = nil, name: String? = nil, state: String, spec: ResourceSpec = ResourceSpec(),
    stackID: String? = nil, attachedTo: [String] = [], networkID: String? = nil, deviceID: String? = nil,
    address: String? = nil
  ) {
    self.projectID = projectID
    self.userID = userID
    self.name = name
    self.state = state
    self.spec = spec
    self.stackID = stackID
    self.attachedTo = attachedTo
    self.networkID = networkID
    self.deviceID = deviceID
    self.address = address
  }
}

/// The size of what a ledger interval bills: a server's flavor, a volume's size and type, an image's bytes.
public struct ResourceSpec: Sendable, Hashable, Codable {
  /// Flavor name for servers (what Nova's usage reports show), volume type for volumes.
  public var flavor: String?
  public var vcpus: Int?
  public var memoryMB: Int?
  /// Root disk for servers, size for volumes.
  public var diskGB: Int?
  /// Bytes stored, for images (Glance's `size`, exact: images are billed per byte, not per whole GiB); nil
  /// while an image has no data. Left out of the JSON when nil, so other kinds' snapshots read as before.
  public var sizeBytes: Int64?

  public init(
    flavor: String? = nil, vcpus: Int? = nil, memoryMB: Int? = nil, diskGB: Int? = nil, sizeBytes: Int64? = nil
  ) {
    self.flavor = flavor
    self.vcpus = vcpus
    self.memoryMB = memoryMB
    self.diskGB = diskGB
    self.sizeBytes = sizeBytes
  }
}
