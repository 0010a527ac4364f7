import Foundation

public struct DomainsAPI: Sendable {
  let collection: ResourceCollection<Domain>

  public init(_ client: ServiceClient) {
    collection = ResourceCollection(
      client: client, path: ["domains"], singular: "domain", plural: "domains", style: .none)
  }

  public func list(name: String? = nil) async throws -> [Domain] {
    try await collection.list(.filters([("name", name)])).collect()
  }

  public func get(_ id: String) async throws -> Domain { try await collection.get(id) }

  /// By id or by name (names are unique among domains).
  public func find(_ idOrName: String) async throws -> Domain? {
    if let domain = try await collection.find(idOrName) { return domain }
    return try await list(name: idOrName).first
  }

  public func create(_ domain: DomainCreate) async throws -> Domain { try await collection.create(domain) }

  public func setEnabled(_ id: String, _ enabled: Bool) async throws -> Domain {
    try await collection.update(id, ["enabled": enabled])
  }

  /// Keystone refuses to delete an enabled domain; this disables it first.
  public func delete(_ id: String) async throws {
    _ = try await setEnabled(id, false)
    try await collection.delete(id)
  }
}
