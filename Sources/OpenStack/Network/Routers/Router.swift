public struct Router: Codable, Sendable, Equatable, Identifiable {
  public struct Gateway: Codable, Sendable, Equatable {
    public let network_id: String
    public let enable_snat: Bool?
  }

  public let id: String
  public let name: String
  public let project_id: String?
  public let status: String?
  public let admin_state_up: Bool?
  public let external_gateway_info: Gateway?
}

public struct RouterCreate: Encodable, Sendable {
  public var name: String
  public var project_id: String?
  public var external_gateway_info: [String: String]?

  public init(name: String, projectID: String? = nil, externalNetworkID: String? = nil) {
    self.name = name
    self.project_id = projectID
    self.external_gateway_info = externalNetworkID.map { ["network_id": $0] }
  }
}
