import Foundation

public struct ProjectsAPI: Sendable {
  let collection: ResourceCollection<Project>

  public init(_ client: ServiceClient) {
    collection = ResourceCollection(
      client: client, path: ["projects"], singular: "project", plural: "projects", style: .none)
  }

  public func list(name: String? = nil, domainID: String? = nil) async throws -> [Project] {
    try await collection.list(.filters([("name", name), ("domain_id", domainID)])).collect()
  }

  public func get(_ id: String) async throws -> Project { try await collection.get(id) }

  /// By id, or by name within a domain (project names are unique per domain only).
  public func find(_ idOrName: String, domainID: String? = nil) async throws -> Project? {
    if let project = try await collection.find(idOrName) { return project }
    let matches = try await list(name: idOrName, domainID: domainID)
    return matches.count == 1 ? matches[0] : nil
  }

  public func create(_ project: ProjectCreate) async throws -> Project { try await collection.create(project) }

  public func update(_ id: String, description: String? = nil, enabled: Bool? = nil) async throws -> Project {
    try await collection.update(id, ProjectUpdate(description: description, enabled: enabled))
  }

  public func delete(_ id: String) async throws { try await collection.delete(id) }
}

struct ProjectUpdate: Encodable, Sendable {
  let description: String?
  let enabled: Bool?
}
