/// What leasing needs to know about a node, whatever kind it is.
public struct LeasableResource: Sendable, Equatable {
  public var type: String
  public var uuid: String
  public var name: String?
  /// The project that may offer it (Ironic's `owner`).
  public var ownerProjectID: String?
  /// The project currently allowed to use it (Ironic's `lessee`).
  public var lesseeProjectID: String?
  /// The lease the service last set on it (`properties.lease_uuid`, as esi-leap records it).
  public var leaseUUID: String?
  public var resourceClass: String?
  public var provisionState: String?
  public var maintenance: Bool?

  public init(
    type: String, uuid: String, name: String? = nil, ownerProjectID: String? = nil, lesseeProjectID: String? = nil,
    leaseUUID: String? = nil, resourceClass: String? = nil, provisionState: String? = nil, maintenance: Bool? = nil
  ) {
    self.type = type
    self.uuid = uuid
    self.name = name
    self.ownerProjectID = ownerProjectID
    self.lesseeProjectID = lesseeProjectID
    self.leaseUUID = leaseUUID
    self.resourceClass = resourceClass
    self.provisionState = provisionState
    self.maintenance = maintenance
  }
}

/// One kind of leasable resource (`ironic_node`, `dummy_node`): finding it and making its own service enforce
/// a lease. Setting and removing must be idempotent — the manager repeats them after a crash.
public protocol ResourceBackend: Sendable {
  var resourceType: String { get }
  /// The resource by UUID or name; `LeasingError(.invalidInput)` when there is none.
  func resolve(_ ident: String) async throws -> LeasableResource
  /// All resources of this type (for `/v1/nodes` and names in listings); may be cached briefly.
  func list() async throws -> [LeasableResource]
  /// Gives `lessee` the resource under `leaseUUID`.
  func setLease(_ resourceUUID: String, leaseUUID: String, lessee: String) async throws
  /// Takes the resource back from `leaseUUID`, only if that lease is the one set on it.
  func removeLease(_ resourceUUID: String, leaseUUID: String) async throws
}

/// The backends by resource type, with esi-leap's default type for requests that name none.
public struct ResourceRegistry: Sendable {
  public let backends: [String: any ResourceBackend]
  public let defaultType: String

  public init(_ backends: [any ResourceBackend], defaultType: String = "ironic_node") {
    var map: [String: any ResourceBackend] = [:]
    for backend in backends { map[backend.resourceType] = backend }
    self.backends = map
    self.defaultType =
      backends.contains { $0.resourceType == defaultType }
      ? defaultType
      : (backends.first?.resourceType ?? defaultType)
  }

  public func backend(_ type: String?) throws -> any ResourceBackend {
    let type = type ?? defaultType
    guard let backend = backends[type] else {
      throw LeasingError.invalid(
        "\(type) resource type unknown. Known types: \(backends.keys.sorted().joined(separator: ", ")).")
    }
    return backend
  }
}
