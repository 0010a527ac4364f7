/// Neutron's `network|port|floatingip.(create|update|delete).end`. Create and update carry the resource
/// (`{"network": {...}}`, or `{"networks": [...]}` for bulk creates); delete carries `network_id`, and
/// since Neutron 2023.1 the deleted resource as well.
public struct NeutronEvent<Resource: Sendable & Hashable>: Sendable, Hashable {
  public var action: ResourceAction
  public var resources: [Resource]

  static func parse(
    _ action: ResourceAction, resource: String, _ p: PayloadFields,
    _ parse: (PayloadFields) throws(NotificationError) -> Resource
  ) throws(NotificationError) -> NeutronEvent {
    if let one = try p.fields(resource) { return NeutronEvent(action: action, resources: [try parse(one)]) }
    if let many = try p.list(resource + "s") {
      var resources: [Resource] = []
      for item in many { resources.append(try parse(item)) }
      return NeutronEvent(action: action, resources: resources)
    }
    if action == .deleted, let id = try p.optionalString(resource + "_id") {
      // Only the id: the resource with nothing else known.
      return NeutronEvent(
        action: action, resources: [try parse(PayloadFields(["id": .string(id)], path: p.path, eventType: p.eventType))]
      )
    }
    throw .missingField(eventType: p.eventType, field: "payload.\(resource)")
  }
}

public struct NetworkState: Sendable, Hashable {
  public var id: String
  public var projectID: String?
  public var name: String?
  public var status: String?
  public var external: Bool?
  public var shared: Bool?

  static func parse(_ p: PayloadFields) throws(NotificationError) -> NetworkState {
    NetworkState(
      id: try p.string("id"), projectID: try p.firstString("project_id", "tenant_id"),
      name: try p.optionalString("name"),
      status: try p.optionalString("status"), external: try p.bool("router:external"), shared: try p.bool("shared"))
  }
}

public struct PortState: Sendable, Hashable {
  public var id: String
  public var projectID: String?
  public var networkID: String?
  public var name: String?
  public var status: String?
  /// The server (or router, DHCP agent…) using the port.
  public var deviceID: String?
  /// compute:nova, network:router_interface, network:floatingip…
  public var deviceOwner: String?
  public var macAddress: String?
  public var fixedIPs: [String]

  static func parse(_ p: PayloadFields) throws(NotificationError) -> PortState {
    var ips: [String] = []
    for ip in try p.list("fixed_ips") ?? [] {
      if let address = try ip.optionalString("ip_address") { ips.append(address) }
    }
    return PortState(
      id: try p.string("id"), projectID: try p.firstString("project_id", "tenant_id"),
      networkID: try p.optionalString("network_id"), name: try p.optionalString("name"),
      status: try p.optionalString("status"), deviceID: try p.optionalString("device_id"),
      deviceOwner: try p.optionalString("device_owner"), macAddress: try p.optionalString("mac_address"), fixedIPs: ips)
  }
}

public struct FloatingIPState: Sendable, Hashable {
  public var id: String
  public var projectID: String?
  public var address: String?
  public var floatingNetworkID: String?
  /// Set while associated with a port.
  public var portID: String?
  public var fixedIPAddress: String?
  public var routerID: String?
  public var status: String?

  static func parse(_ p: PayloadFields) throws(NotificationError) -> FloatingIPState {
    FloatingIPState(
      id: try p.string("id"), projectID: try p.firstString("project_id", "tenant_id"),
      address: try p.optionalString("floating_ip_address"),
      floatingNetworkID: try p.optionalString("floating_network_id"),
      portID: try p.optionalString("port_id"), fixedIPAddress: try p.optionalString("fixed_ip_address"),
      routerID: try p.optionalString("router_id"), status: try p.optionalString("status"))
  }
}
