import Foundation

/// Nova `os-quota-sets` and `limits`.
public struct ComputeQuotasAPI: Sendable {
  let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  /// The project's compute quotas with usage.
  public func usage(project: String) async throws -> [String: QuotaUsage] {
    let set: [String: JSONValue] = try await client.get(["os-quota-sets", project, "detail"], key: "quota_set")
    return QuotaUsage.decodeSet(set)
  }

  /// Sets limits (admin); names as Nova spells them (`cores`, `ram`, `instances`, `key_pairs`…).
  public func update(project: String, limits: [String: Int]) async throws {
    try await client.send(.PUT, ["os-quota-sets", project], json: ["quota_set": limits])
  }

  /// Absolute limits and usage of the token's project, or of `project` (admin, `tenant_id`).
  public func limits(project: String? = nil) async throws -> [String: Int] {
    struct Limits: Decodable { let absolute: [String: Int] }
    let query = [URLQueryItem].filters([("tenant_id", project)])
    let limits: Limits = try await client.get(["limits"], query: query, key: "limits")
    return limits.absolute
  }
}
