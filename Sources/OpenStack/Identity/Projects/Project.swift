public struct Project: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let domain_id: String
  public let description: String?
  public let enabled: Bool?
  public let parent_id: String?
  public let is_domain: Bool?
  public let tags: [String]?

  public var domainID: String { domain_id }
}

public struct ProjectCreate: Encodable, Sendable {
  public var name: String
  public var domain_id: String
  public var description: String?
  public var enabled: Bool?
  public var tags: [String]?

  public init(name: String, domainID: String, description: String? = nil, enabled: Bool? = nil, tags: [String]? = nil) {
    self.name = name
    self.domain_id = domainID
    self.description = description
    self.enabled = enabled
    self.tags = tags
  }
}
