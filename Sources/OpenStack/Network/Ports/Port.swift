public struct Port: Codable, Sendable, Equatable, Identifiable {
  public struct FixedIP: Codable, Sendable, Equatable {
    public let subnetID: String?
    public let ipAddress: String?

    enum CodingKeys: String, CodingKey {
      case subnetID = "subnet_id"
      case ipAddress = "ip_address"
    }
  }

  public let id: String
  public let name: String
  public let networkID: String
  public let projectID: String?
  public let deviceID: String?
  public let deviceOwner: String?
  public let status: String?
  public let macAddress: String?
  public let fixedIPs: [FixedIP]?

  enum CodingKeys: String, CodingKey {
    case id
    case name
    case networkID = "network_id"
    case projectID = "project_id"
    case deviceID = "device_id"
    case deviceOwner = "device_owner"
    case status
    case macAddress = "mac_address"
    case fixedIPs = "fixed_ips"
  }
}

public struct PortCreate: Encodable, Sendable {
  public var name: String
  public var networkID: String
  public var projectID: String?

  public init(name: String, networkID: String, projectID: String? = nil) {
    self.name = name
    self.networkID = networkID
    self.projectID = projectID
  }

  enum CodingKeys: String, CodingKey {
    case name
    case networkID = "network_id"
    case projectID = "project_id"
  }
}
