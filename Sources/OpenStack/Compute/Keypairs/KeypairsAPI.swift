import Foundation

/// Nova `os-keypairs`: the token's user's key pairs.
public struct KeypairsAPI: Sendable {
  let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  public func list() async throws -> [Keypair] {
    struct Entry: Decodable { let keypair: Keypair }
    let entries: [Entry] = try await client.get(["os-keypairs"], key: "keypairs")
    return entries.map(\.keypair)
  }

  public func get(_ name: String) async throws -> Keypair {
    try await client.get(["os-keypairs", name], key: "keypair")
  }

  public func create(_ keypair: KeypairCreate) async throws -> Keypair {
    let response = try await client.send(.POST, ["os-keypairs"], json: ["keypair": keypair])
    return try client.decode(Keypair.self, from: response, key: "keypair")
  }

  public func delete(_ name: String) async throws {
    try await client.send(.DELETE, ["os-keypairs", name])
  }
}
