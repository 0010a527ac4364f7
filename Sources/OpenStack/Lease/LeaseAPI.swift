import Foundation

/// The bare-metal leasing service (esi-leap API v1, as `steward serve` provides it).
public struct LeaseAPI: Sendable {
  public let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  /// Query parameters as esi-leap names them (`status`, `project_id`, `resource_uuid`, `start_time`, …).
  public func offers(_ filters: [String: String] = [:]) async throws -> [LeaseOffer] {
    try await client.get(["offers"], query: Self.query(filters), key: "offers")
  }

  public func offer(_ ident: String) async throws -> LeaseOffer { try await client.get(["offers", ident]) }

  /// Body fields: `resource_uuid` (required), `resource_type`, `name`, `lessee_id`, `start_time`, `end_time`,
  /// `properties`.
  public func createOffer(_ body: [String: JSONValue]) async throws -> LeaseOffer {
    try client.decode(LeaseOffer.self, from: try await client.send(.POST, ["offers"], json: body, idempotent: false))
  }

  public func deleteOffer(_ ident: String) async throws {
    try await client.send(.DELETE, ["offers", ident])
  }

  /// Claims an offer for the caller's project; body fields `start_time`, `end_time`, `name`, `properties`.
  public func claim(_ offer: String, _ body: [String: JSONValue] = [:]) async throws -> LeaseRecord {
    try client.decode(
      LeaseRecord.self, from: try await client.send(.POST, ["offers", offer, "claim"], json: body, idempotent: false))
  }

  public func leases(_ filters: [String: String] = [:]) async throws -> [LeaseRecord] {
    try await client.get(["leases"], query: Self.query(filters), key: "leases")
  }

  public func lease(_ ident: String) async throws -> LeaseRecord { try await client.get(["leases", ident]) }

  /// Body fields: `project_id` and `resource_uuid` (required), `resource_type`, `name`, `start_time`,
  /// `end_time`, `properties`.
  public func createLease(_ body: [String: JSONValue]) async throws -> LeaseRecord {
    try client.decode(LeaseRecord.self, from: try await client.send(.POST, ["leases"], json: body, idempotent: false))
  }

  public func deleteLease(_ ident: String) async throws {
    try await client.send(.DELETE, ["leases", ident])
  }

  public func nodes() async throws -> [LeaseNode] { try await client.get(["nodes"], key: "nodes") }

  static func query(_ filters: [String: String]) -> [URLQueryItem] {
    filters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
  }
}
