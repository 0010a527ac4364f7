/// An Ironic node. `owner` (since 1.50) is the project that offers it; `lessee` (since 1.65) the project
/// currently allowed to use it, which is what leasing sets and unsets.
public struct Node: Decodable, Sendable, Identifiable {
  public let uuid: String
  public let name: String?
  public let driver: String?
  public let provisionState: String?
  public let targetProvisionState: String?
  public let powerState: String?
  public let targetPowerState: String?
  public let maintenance: Bool?
  public let owner: String?
  public let lessee: String?
  public let resourceClass: String?
  public let instanceUUID: String?
  public let lastError: String?
  public let properties: [String: JSONValue]?
  public let extra: [String: JSONValue]?
  public let createdAt: String?

  public var id: String { uuid }

  enum CodingKeys: String, CodingKey {
    case uuid, name, driver, maintenance, owner, lessee, properties, extra
    case provisionState = "provision_state"
    case targetProvisionState = "target_provision_state"
    case powerState = "power_state"
    case targetPowerState = "target_power_state"
    case resourceClass = "resource_class"
    case instanceUUID = "instance_uuid"
    case lastError = "last_error"
    case createdAt = "created_at"
  }
}

public struct NodeCreate: Encodable, Sendable {
  public var name: String?
  public var driver: String
  public var resourceClass: String?
  public var owner: String?
  public var lessee: String?
  public var properties: [String: JSONValue]?
  /// For `fake-hardware`: every interface set to its fake implementation.
  public var interfaces: [String: String]

  public init(
    name: String? = nil, driver: String, resourceClass: String? = nil, owner: String? = nil, lessee: String? = nil,
    properties: [String: JSONValue]? = nil, interfaces: [String: String] = [:]
  ) {
    self.name = name
    self.driver = driver
    self.resourceClass = resourceClass
    self.owner = owner
    self.lessee = lessee
    self.properties = properties
    self.interfaces = interfaces
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: AnyKey.self)
    try container.encodeIfPresent(name, forKey: AnyKey("name"))
    try container.encode(driver, forKey: AnyKey("driver"))
    try container.encodeIfPresent(resourceClass, forKey: AnyKey("resource_class"))
    try container.encodeIfPresent(owner, forKey: AnyKey("owner"))
    try container.encodeIfPresent(lessee, forKey: AnyKey("lessee"))
    try container.encodeIfPresent(properties, forKey: AnyKey("properties"))
    for (interface, implementation) in interfaces {
      try container.encode(implementation, forKey: AnyKey("\(interface)_interface"))
    }
  }
}

public enum PowerTarget: String, Sendable {
  case on = "power on"
  case off = "power off"
  case reboot = "rebooting"
  case softOff = "soft power off"
}
