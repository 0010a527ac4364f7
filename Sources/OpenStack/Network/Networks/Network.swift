public struct Network: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let project_id: String?
  public let status: String?
  public let admin_state_up: Bool?
  public let shared: Bool?
  public let isExternal: Bool?
  public let subnets: [String]?
  public let mtu: Int?
  public let description: String?

  enum CodingKeys: String, CodingKey {
    case id, name, project_id, status, admin_state_up, shared, subnets, mtu, description
    case isExternal = "router:external"
  }
}

public struct NetworkCreate: Encodable, Sendable {
  public var name: String
  public var project_id: String?
  public var shared: Bool?
  public var isExternal: Bool?
  public var description: String?
  public var providerNetworkType: String?
  public var providerPhysicalNetwork: String?

  enum CodingKeys: String, CodingKey {
    case name, project_id, shared, description
    case isExternal = "router:external"
    case providerNetworkType = "provider:network_type"
    case providerPhysicalNetwork = "provider:physical_network"
  }

  public init(
    name: String, projectID: String? = nil, shared: Bool? = nil, isExternal: Bool? = nil,
    description: String? = nil, providerNetworkType: String? = nil, providerPhysicalNetwork: String? = nil
  ) {
    self.name = name
    self.project_id = projectID
    self.shared = shared
    self.isExternal = isExternal
    self.description = description
    self.providerNetworkType = providerNetworkType
    self.providerPhysicalNetwork = providerPhysicalNetwork
  }
}
