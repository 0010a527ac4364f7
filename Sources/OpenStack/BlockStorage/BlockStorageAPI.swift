import Foundation

/// Cinder v3: volumes, volume types and backups.
public struct BlockStorageAPI: Sendable {
  public let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  public var volumes: ResourceCollection<Volume> {
    ResourceCollection(
      client: client, path: ["volumes"], singular: "volume", plural: "volumes", style: .links("volumes_links"),
      listSuffix: ["detail"])
  }

  public var volumeTypes: ResourceCollection<VolumeType> {
    ResourceCollection(client: client, path: ["types"], singular: "volume_type", plural: "volume_types", style: .none)
  }

  public var backups: ResourceCollection<Backup> {
    ResourceCollection(
      client: client, path: ["backups"], singular: "backup", plural: "backups", style: .links("backups_links"),
      listSuffix: ["detail"])
  }

  /// The project's volume quotas with usage.
  public func quotaUsage(project: String) async throws -> [String: QuotaUsage] {
    let set: [String: JSONValue] = try await client.get(
      ["os-quota-sets", project], query: [URLQueryItem(name: "usage", value: "true")], key: "quota_set")
    return QuotaUsage.decodeSet(set)
  }

  /// Sets volume quotas (admin): `volumes`, `gigabytes`, `snapshots`, `backups`…
  public func updateQuotas(project: String, limits: [String: Int]) async throws {
    try await client.send(.PUT, ["os-quota-sets", project], json: ["quota_set": limits])
  }

  public func extend(volume id: String, to size: Int) async throws {
    try await client.send(.POST, ["volumes", id, "action"], json: ["os-extend": ["new_size": size]])
  }

  /// Restores a backup into a new volume (or `volumeID`); returns the volume id.
  public func restore(backup id: String, into volumeID: String? = nil, name: String? = nil) async throws -> String {
    struct Restored: Decodable {
      let volumeID: String
      enum CodingKeys: String, CodingKey { case volumeID = "volume_id" }
    }
    var restore: [String: String] = [:]
    restore["volume_id"] = volumeID
    restore["name"] = name
    let response = try await client.send(.POST, ["backups", id, "restore"], json: ["restore": restore])
    return try client.decode(Restored.self, from: response, key: "restore").volumeID
  }

  public func waitFor(volume id: String, status: Set<String>, waiter: Waiter = Waiter()) async throws {
    let volumes = self.volumes
    try await waiter.wait(for: "volume \(id)", done: status, failed: ["error", "error_extending", "error_deleting"]) {
      try await volumes.get(id).status
    }
  }

  public func waitFor(backup id: String, status: Set<String>, waiter: Waiter = Waiter()) async throws {
    let backups = self.backups
    try await waiter.wait(for: "backup \(id)", done: status, failed: ["error", "error_deleting"]) {
      try await backups.get(id).status
    }
  }
}
