public struct User: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let domain_id: String
  public let enabled: Bool?
  public let email: String?
  public let description: String?
  public let default_project_id: String?
  public let password_expires_at: String?

  public var domainID: String { domain_id }
}

public struct UserCreate: Encodable, Sendable {
  public var name: String
  public var domain_id: String
  public var password: String?
  public var email: String?
  public var description: String?
  public var default_project_id: String?
  public var enabled: Bool?

  public init(
    name: String, domainID: String, password: String? = nil, email: String? = nil, description: String? = nil,
    defaultProjectID: String? = nil, enabled: Bool? = nil
  ) {
    self.name = name
    self.domain_id = domainID
    self.password = password
    self.email = email
    self.description = description
    self.default_project_id = defaultProjectID
    self.enabled = enabled
  }
}
