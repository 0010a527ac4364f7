import Foundation

/// Barbican v1: secrets. Barbican names a secret by its `secret_ref` URL; the id is its last segment.
public struct KeyManagerAPI: Sendable {
  public let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  /// Secrets the token may see, optionally by name (Barbican pages with `limit`/`offset`; one page of
  /// up to 100 is enough for a lookup by name).
  public func secrets(name: String? = nil) async throws -> [Secret] {
    struct Listing: Decodable { let secrets: [Secret] }
    let query: [URLQueryItem] = .filters([("name", name), ("limit", "100")])
    let listing: Listing = try await client.get(["secrets"], query: query)
    return listing.secrets
  }

  /// Stores a secret and returns its id.
  public func createSecret(_ secret: SecretCreate) async throws -> String {
    struct Created: Decodable {
      let secretRef: String
      enum CodingKeys: String, CodingKey { case secretRef = "secret_ref" }
    }
    let response = try await client.send(.POST, ["secrets"], json: secret)
    return Secret.id(fromRef: try client.decode(Created.self, from: response).secretRef)
  }

  public func deleteSecret(_ id: String) async throws {
    try await client.send(.DELETE, ["secrets", id])
  }
}
