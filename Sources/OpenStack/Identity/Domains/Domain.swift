public struct Domain: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let description: String?
  public let enabled: Bool
}

public struct DomainCreate: Encodable, Sendable {
  public var name: String
  public var description: String?
  public var enabled: Bool?

  public init(name: String, description: String? = nil, enabled: Bool? = nil) {
    self.name = name
    self.description = description
    self.enabled = enabled
  }
}
