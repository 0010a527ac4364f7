import Foundation
import OpenStack
import Testing

@Suite("Placement through the generic service client", .testCloud)
struct PlacementTests {
  /// Nova's fake compute node registers itself as a resource provider.
  @Test func computeNodeIsAResourceProvider() async throws {
    struct Provider: Decodable, Sendable {
      let uuid: String
      let name: String
    }
    try await TestCloud.with("steward-admin") { session in
      let placement = try await session.client(.placement)
      #expect(placement.microversion != nil)
      let providers: [Provider] = try await placement.get(["resource_providers"], key: "resource_providers")
      #expect(!providers.isEmpty)
    }
  }
}
