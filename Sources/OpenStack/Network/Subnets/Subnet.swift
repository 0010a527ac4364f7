public struct Subnet: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let network_id: String
  public let project_id: String?
  public let cidr: String
  public let ip_version: Int
  public let gateway_ip: String?
  public let enable_dhcp: Bool?
  public let dns_nameservers: [String]?
}

public struct SubnetCreate: Encodable, Sendable {
  public var name: String
  public var network_id: String
  public var cidr: String
  public var ip_version: Int
  public var project_id: String?
  public var gateway_ip: String?
  public var enable_dhcp: Bool?
  public var dns_nameservers: [String]?

  public init(
    name: String, networkID: String, cidr: String, ipVersion: Int = 4, projectID: String? = nil,
    gatewayIP: String? = nil, enableDHCP: Bool? = nil, dnsNameservers: [String]? = nil
  ) {
    self.name = name
    self.network_id = networkID
    self.cidr = cidr
    self.ip_version = ipVersion
    self.project_id = projectID
    self.gateway_ip = gatewayIP
    self.enable_dhcp = enableDHCP
    self.dns_nameservers = dnsNameservers
  }
}
