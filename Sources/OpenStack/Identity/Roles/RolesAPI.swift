import Foundation

public struct RolesAPI: Sendable {
  let collection: ResourceCollection<Role>
  let client: ServiceClient

  public init(_ client: ServiceClient) {
    self.client = client
    collection = ResourceCollection(client: client, path: ["roles"], singular: "role", plural: "roles", style: .none)
  }

  public func list(name: String? = nil) async throws -> [Role] {
    try await collection.list(.filters([("name", name)])).collect()
  }

  public func find(_ idOrName: String) async throws -> Role? {
    if let role = try await list(name: idOrName).first { return role }
    return try await collection.find(idOrName)
  }

  public func create(name: String) async throws -> Role { try await collection.create(["name": name]) }

  public func delete(_ id: String) async throws { try await collection.delete(id) }

  /// Grants `role` to `user` on `target` (PUT, so granting twice is harmless).
  public func grant(role: String, user: String, on target: RoleTarget) async throws {
    try await client.send(.PUT, grantPath(role: role, user: user, on: target))
  }

  public func revoke(role: String, user: String, on target: RoleTarget) async throws {
    try await client.send(.DELETE, grantPath(role: role, user: user, on: target))
  }

  /// True when the grant exists directly (Keystone's HEAD check answers 204 or 404).
  public func isGranted(role: String, user: String, on target: RoleTarget) async throws -> Bool {
    do {
      try await client.send(.HEAD, grantPath(role: role, user: user, on: target))
      return true
    } catch let error as OpenStackError where error.isNotFound {
      return false
    }
  }

  private func grantPath(role: String, user: String, on target: RoleTarget) -> [String] {
    switch target {
    case .system: return ["system", "users", user, "roles", role]
    default: return target.pathPrefix + ["users", user, "roles", role]
    }
  }

  /// Role assignments filtered like `openstack role assignment list`, with names included.
  public func assignments(
    user: String? = nil, project: String? = nil, domain: String? = nil, role: String? = nil, effective: Bool = false
  ) async throws -> [RoleAssignment] {
    var query = [URLQueryItem].filters([
      ("user.id", user), ("scope.project.id", project), ("scope.domain.id", domain), ("role.id", role),
      ("include_names", "true"),
    ])
    if effective { query.append(URLQueryItem(name: "effective", value: nil)) }
    return try await client.get(["role_assignments"], query: query, key: "role_assignments")
  }
}
