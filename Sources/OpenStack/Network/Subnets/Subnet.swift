public struct Subnet: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let networkID: String
  public let projectID: String?
  public let cidr: String
  public let ipVersion: Int
  public let gatewayIP: String?
  public let enableDHCP: Bool?
  public let dnsNameservers: [String]?

  enum CodingKeys: String, CodingKey {
    case id
    case name
    case networkID = "network_id"
    case projectID = "project_id"
    case cidr
    case ipVersion = "ip_version"
    case gatewayIP = "gateway_ip"
    case enableDHCP = "enable_dhcp"
    case dnsNameservers = "dns_nameservers"
  }
}

public struct SubnetCreate: Encodable, Sendable {
  public var name: String
  public var networkID: String
  public var cidr: String
  public var ipVersion: Int
  public var projectID: String?
  public var gatewayIP: String?
  public var enableDHCP: Bool?
  public var dnsNameservers: [String]?

  public init(
    name: String, networkID: String, cidr: String, ipVersion: Int = 4, projectID: String? = nil,
    gatewayIP: String? = nil, enableDHCP: Bool? = nil, dnsNameservers: [String]? = nil
  ) {
    self.name = name
    self.networkID = networkID
    self.cidr = cidr
    self.ipVersion = ipVersion
    self.projectID = projectID
    self.gatewayIP = gatewayIP
    self.enableDHCP = enableDHCP
    self.dnsNameservers = dnsNameservers
  }

  enum CodingKeys: String, CodingKey {
    case name
    case networkID = "network_id"
    case cidr
    case ipVersion = "ip_version"
    case projectID = "project_id"
    case gatewayIP = "gateway_ip"
    case enableDHCP = "enable_dhcp"
    case dnsNameservers = "dns_nameservers"
  }
}
