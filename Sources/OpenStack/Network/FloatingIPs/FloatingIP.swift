public struct FloatingIP: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let floatingIPAddress: String?
  public let floatingNetworkID: String?
  /// Set while associated.
  public let portID: String?
  public let fixedIPAddress: String?
  public let routerID: String?
  public let projectID: String?
  public let status: String?
  public let createdAt: String?

  enum CodingKeys: String, CodingKey {
    case id, status
    case floatingIPAddress = "floating_ip_address"
    case floatingNetworkID = "floating_network_id"
    case portID = "port_id"
    case fixedIPAddress = "fixed_ip_address"
    case routerID = "router_id"
    case projectID = "project_id"
    case createdAt = "created_at"
  }
}
