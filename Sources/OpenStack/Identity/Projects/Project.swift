public struct Project: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let domainID: String
  public let description: String?
  public let enabled: Bool?
  public let parentID: String?
  public let isDomain: Bool?
  public let tags: [String]?

  enum CodingKeys: String, CodingKey {
    case id
    case name
    case domainID = "domain_id"
    case description
    case enabled
    case parentID = "parent_id"
    case isDomain = "is_domain"
    case tags
  }
}

public struct ProjectCreate: Encodable, Sendable {
  public var name: String
  public var domainID: String
  public var description: String?
  public var enabled: Bool?
  public var tags: [String]?

  public init(name: String, domainID: String, description: String? = nil, enabled: Bool? = nil, tags: [String]? = nil) {
    self.name = name
    self.domainID = domainID
    self.description = description
    self.enabled = enabled
    self.tags = tags
  }

  enum CodingKeys: String, CodingKey {
    case name
    case domainID = "domain_id"
    case description
    case enabled
    case tags
  }
}
