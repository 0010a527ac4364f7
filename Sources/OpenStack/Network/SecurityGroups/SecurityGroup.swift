public struct SecurityGroup: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let projectID: String?
  public let description: String?
  public let securityGroupRules: [SecurityGroupRule]?

  enum CodingKeys: String, CodingKey {
    case id
    case name
    case projectID = "project_id"
    case description
    case securityGroupRules = "security_group_rules"
  }
}

public struct SecurityGroupRule: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let securityGroupID: String
  /// `ingress` or `egress`.
  public let direction: String
  public let ethertype: String?
  public let `protocol`: String?
  public let portRangeMin: Int?
  public let portRangeMax: Int?
  public let remoteIPPrefix: String?
  public let remoteGroupID: String?

  enum CodingKeys: String, CodingKey {
    case id
    case securityGroupID = "security_group_id"
    case direction
    case ethertype
    case `protocol`
    case portRangeMin = "port_range_min"
    case portRangeMax = "port_range_max"
    case remoteIPPrefix = "remote_ip_prefix"
    case remoteGroupID = "remote_group_id"
  }
}

public struct SecurityGroupCreate: Encodable, Sendable {
  public var name: String
  public var description: String?
  public var projectID: String?

  public init(name: String, description: String? = nil, projectID: String? = nil) {
    self.name = name
    self.description = description
    self.projectID = projectID
  }

  enum CodingKeys: String, CodingKey {
    case name
    case description
    case projectID = "project_id"
  }
}

public struct SecurityGroupRuleCreate: Encodable, Sendable {
  public var securityGroupID: String
  public var direction: String
  public var ethertype: String
  public var `protocol`: String?
  public var portRangeMin: Int?
  public var portRangeMax: Int?
  public var remoteIPPrefix: String?

  public init(
    securityGroupID: String, direction: String, ethertype: String = "IPv4", protocol: String? = nil,
    portRangeMin: Int? = nil, portRangeMax: Int? = nil, remoteIPPrefix: String? = nil
  ) {
    self.securityGroupID = securityGroupID
    self.direction = direction
    self.ethertype = ethertype
    self.protocol = `protocol`
    self.portRangeMin = portRangeMin
    self.portRangeMax = portRangeMax
    self.remoteIPPrefix = remoteIPPrefix
  }

  enum CodingKeys: String, CodingKey {
    case securityGroupID = "security_group_id"
    case direction
    case ethertype
    case `protocol`
    case portRangeMin = "port_range_min"
    case portRangeMax = "port_range_max"
    case remoteIPPrefix = "remote_ip_prefix"
  }
}
