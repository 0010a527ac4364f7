public struct Role: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let domainID: String?
  public let description: String?

  enum CodingKeys: String, CodingKey {
    case id
    case name
    case domainID = "domain_id"
    case description
  }
}

/// One row of `GET /v3/role_assignments`: a role given to a user or group on a project, a domain or
/// the system.
public struct RoleAssignment: Codable, Sendable, Equatable {
  public struct Named: Codable, Sendable, Equatable {
    public let id: String
    public let name: String?
  }

  public struct Scope: Codable, Sendable, Equatable {
    public let project: Named?
    public let domain: Named?
    public let system: [String: Bool]?
  }

  public let role: Named
  public let user: Named?
  public let group: Named?
  public let scope: Scope
}

/// Where a role is granted.
public enum RoleTarget: Sendable, Equatable {
  case project(String)
  case domain(String)
  case system

  var pathPrefix: [String] {
    switch self {
    case .project(let id): return ["projects", id]
    case .domain(let id): return ["domains", id]
    case .system: return ["system"]
    }
  }
}
