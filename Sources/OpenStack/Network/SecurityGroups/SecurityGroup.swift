public struct SecurityGroup: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let project_id: String?
  public let description: String?
  public let security_group_rules: [SecurityGroupRule]?
}

public struct SecurityGroupRule: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let security_group_id: String
  /// `ingress` or `egress`.
  public let direction: String
  public let ethertype: String?
  public let `protocol`: String?
  public let port_range_min: Int?
  public let port_range_max: Int?
  public let remote_ip_prefix: String?
  public let remote_group_id: String?
}

public struct SecurityGroupCreate: Encodable, Sendable {
  public var name: String
  public var description: String?
  public var project_id: String?

  public init(name: String, description: String? = nil, projectID: String? = nil) {
    self.name = name
    self.description = description
    self.project_id = projectID
  }
}

public struct SecurityGroupRuleCreate: Encodable, Sendable {
  public var security_group_id: String
  public var direction: String
  public var ethertype: String
  public var `protocol`: String?
  public var port_range_min: Int?
  public var port_range_max: Int?
  public var remote_ip_prefix: String?

  public init(
    securityGroupID: String, direction: String, ethertype: String = "IPv4", protocol: String? = nil,
    portRangeMin: Int? = nil, portRangeMax: Int? = nil, remoteIPPrefix: String? = nil
  ) {
    self.security_group_id = securityGroupID
    self.direction = direction
    self.ethertype = ethertype
    self.protocol = `protocol`
    self.port_range_min = portRangeMin
    self.port_range_max = portRangeMax
    self.remote_ip_prefix = remoteIPPrefix
  }
}
