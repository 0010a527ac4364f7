import Foundation

/// A Keystone token with what came with it: scope, roles and the service catalog.
public struct Token: Sendable {
  public let value: String
  public let expiresAt: Date
  public let issuedAt: Date?
  public let user: Reference
  public let project: ScopedProject?
  public let domain: Reference?
  public let isSystemScoped: Bool
  public let roles: [Reference]
  public let catalog: ServiceCatalog

  public struct Reference: Sendable, Codable, Equatable {
    public let id: String
    public let name: String?
    public let domain: DomainReference?
  }

  public struct DomainReference: Sendable, Codable, Equatable {
    public let id: String?
    public let name: String?
  }

  public struct ScopedProject: Sendable, Codable, Equatable {
    public let id: String
    public let name: String?
    public let domain: DomainReference?
  }

  public var scopeDescription: String {
    if let project { return "project \(project.name ?? project.id)" }
    if let domain { return "domain \(domain.name ?? domain.id)" }
    if isSystemScoped { return "system" }
    return "unscoped"
  }

  /// True when the token should be replaced before use: it expires within `margin`.
  public func expires(within margin: TimeInterval, now: Date = Date()) -> Bool {
    expiresAt.timeIntervalSince(now) < margin
  }

  init(value: String, body: Data) throws {
    struct Envelope: Decodable {
      let token: Body
    }
    struct Body: Decodable {
      let expiresAt: String
      let issuedAt: String?
      let user: Reference
      let project: ScopedProject?
      let domain: Reference?
      let system: [String: Bool]?
      let roles: [Reference]?
      let catalog: [ServiceCatalog.Service]?

      enum CodingKeys: String, CodingKey {
        case user, project, domain, system, roles, catalog
        case expiresAt = "expires_at"
        case issuedAt = "issued_at"
      }
    }
    let body = try JSONDecoder().decode(Envelope.self, from: body).token
    guard let expires = OpenStackDate.parse(body.expiresAt) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: [], debugDescription: "token expires_at '\(body.expiresAt)' is not a date"))
    }
    self.value = value
    self.expiresAt = expires
    self.issuedAt = body.issuedAt.flatMap(OpenStackDate.parse)
    self.user = body.user
    self.project = body.project
    self.domain = body.domain
    self.isSystemScoped = body.system?["all"] == true
    self.roles = body.roles ?? []
    self.catalog = ServiceCatalog(services: body.catalog ?? [])
  }
}
