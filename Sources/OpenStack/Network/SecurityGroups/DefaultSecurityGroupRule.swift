/// A default security group rule template: Neutron adds it to the `default` group of each project
/// and/or to every other new group. `remote_group_id` `PARENT` means "the group the rule lands in".
public struct DefaultSecurityGroupRule: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let direction: String
  public let ethertype: String?
  public let `protocol`: String?
  public let portRangeMin: Int?
  public let portRangeMax: Int?
  public let remoteIPPrefix: String?
  public let remoteGroupID: String?
  public let remoteAddressGroupID: String?
  public let description: String?
  public let usedInDefaultSG: Bool
  public let usedInNonDefaultSG: Bool

  public init(
    id: String, direction: String, ethertype: String?, protocol: String? = nil, portRangeMin: Int? = nil,
    portRangeMax: Int? = nil, remoteIPPrefix: String? = nil, remoteGroupID: String? = nil,
    remoteAddressGroupID: String? = nil, description: String? = nil, usedInDefaultSG: Bool,
    usedInNonDefaultSG: Bool
  ) {
    self.id = id
    self.direction = direction
    self.ethertype = ethertype
    self.protocol = `protocol`
    self.portRangeMin = portRangeMin
    self.portRangeMax = portRangeMax
    self.remoteIPPrefix = remoteIPPrefix
    self.remoteGroupID = remoteGroupID
    self.remoteAddressGroupID = remoteAddressGroupID
    self.description = description
    self.usedInDefaultSG = usedInDefaultSG
    self.usedInNonDefaultSG = usedInNonDefaultSG
  }

  enum CodingKeys: String, CodingKey {
    case id
    case direction
    case ethertype
    case `protocol`
    case portRangeMin = "port_range_min"
    case portRangeMax = "port_range_max"
    case remoteIPPrefix = "remote_ip_prefix"
    case remoteGroupID = "remote_group_id"
    case remoteAddressGroupID = "remote_address_group_id"
    case description
    case usedInDefaultSG = "used_in_default_sg"
    case usedInNonDefaultSG = "used_in_non_default_sg"
  }
}
