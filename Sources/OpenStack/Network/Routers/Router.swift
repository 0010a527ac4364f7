public struct Router: Codable, Sendable, Equatable, Identifiable {
  public struct Gateway: Codable, Sendable, Equatable {
    public let networkID: String
    public let enableSNAT: Bool?

    enum CodingKeys: String, CodingKey {
      case networkID = "network_id"
      case enableSNAT = "enable_snat"
    }
  }

  public let id: String
  public let name: String
  public let projectID: String?
  public let status: String?
  public let adminStateUp: Bool?
  public let externalGatewayInfo: Gateway?

  enum CodingKeys: String, CodingKey {
    case id
    case name
    case projectID = "project_id"
    case status
    case adminStateUp = "admin_state_up"
    case externalGatewayInfo = "external_gateway_info"
  }
}

public struct RouterCreate: Encodable, Sendable {
  public var name: String
  public var projectID: String?
  public var externalGatewayInfo: [String: String]?

  public init(name: String, projectID: String? = nil, externalNetworkID: String? = nil) {
    self.name = name
    self.projectID = projectID
    self.externalGatewayInfo = externalNetworkID.map { ["network_id": $0] }
  }

  enum CodingKeys: String, CodingKey {
    case name
    case projectID = "project_id"
    case externalGatewayInfo = "external_gateway_info"
  }
}
