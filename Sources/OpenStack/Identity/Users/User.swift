public struct User: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let domainID: String
  public let enabled: Bool?
  public let email: String?
  public let description: String?
  public let defaultProjectID: String?
  public let passwordExpiresAt: String?

  enum CodingKeys: String, CodingKey {
    case id
    case name
    case domainID = "domain_id"
    case enabled
    case email
    case description
    case defaultProjectID = "default_project_id"
    case passwordExpiresAt = "password_expires_at"
  }
}

public struct UserCreate: Encodable, Sendable {
  public var name: String
  public var domainID: String
  public var password: String?
  public var email: String?
  public var description: String?
  public var defaultProjectID: String?
  public var enabled: Bool?

  public init(
    name: String, domainID: String, password: String? = nil, email: String? = nil, description: String? = nil,
    defaultProjectID: String? = nil, enabled: Bool? = nil
  ) {
    self.name = name
    self.domainID = domainID
    self.password = password
    self.email = email
    self.description = description
    self.defaultProjectID = defaultProjectID
    self.enabled = enabled
  }

  enum CodingKeys: String, CodingKey {
    case name
    case domainID = "domain_id"
    case password
    case email
    case description
    case defaultProjectID = "default_project_id"
    case enabled
  }
}
