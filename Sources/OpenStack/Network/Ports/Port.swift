public struct Port: Codable, Sendable, Equatable, Identifiable {
  public struct FixedIP: Codable, Sendable, Equatable {
    public let subnet_id: String?
    public let ip_address: String?
  }

  public let id: String
  public let name: String
  public let network_id: String
  public let project_id: String?
  public let device_id: String?
  public let device_owner: String?
  public let status: String?
  public let mac_address: String?
  public let fixed_ips: [FixedIP]?
}

public struct PortCreate: Encodable, Sendable {
  public var name: String
  public var network_id: String
  public var project_id: String?

  public init(name: String, networkID: String, projectID: String? = nil) {
    self.name = name
    self.network_id = networkID
    self.project_id = projectID
  }
}
