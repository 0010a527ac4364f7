public struct Network: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let projectID: String?
  public let status: String?
  public let adminStateUp: Bool?
  public let shared: Bool?
  public let isExternal: Bool?
  public let subnets: [String]?
  public let mtu: Int?
  public let description: String?

  enum CodingKeys: String, CodingKey {
    case id, name, status, shared, subnets, mtu, description
    case projectID = "project_id"
    case adminStateUp = "admin_state_up"
    case isExternal = "router:external"
  }
}

public struct NetworkCreate: Encodable, Sendable {
  public var name: String
  public var projectID: String?
  public var shared: Bool?
  public var isExternal: Bool?
  public var description: String?
  public var providerNetworkType: String?
  public var providerPhysicalNetwork: String?

  enum CodingKeys: String, CodingKey {
    case name, shared, description
    case projectID = "project_id"
    case isExternal = "router:external"
    case providerNetworkType = "provider:network_type"
    case providerPhysicalNetwork = "provider:physical_network"
  }

  public init(
    name: String, projectID: String? = nil, shared: Bool? = nil, isExternal: Bool? = nil,
    description: String? = nil, providerNetworkType: String? = nil, providerPhysicalNetwork: String? = nil
  ) {
    self.name = name
    self.projectID = projectID
    self.shared = shared
    self.isExternal = isExternal
    self.description = description
    self.providerNetworkType = providerNetworkType
    self.providerPhysicalNetwork = providerPhysicalNetwork
  }
}
