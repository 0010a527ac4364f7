import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing

@testable import Leasing

/// The esi-leap HTTP shapes and status codes, through the real router (no network).
@Suite("Leasing HTTP API")
struct LeasingRoutesTests {
  static func headers(_ token: String) -> HTTPFields {
    [.init("X-Auth-Token")!: token, .contentType: "application/json"]
  }

  static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
  }

  @Test func offersLeasesAndNodesSpeakEsiLeap() async throws {
    try await LeasingFixture.withSQLite { f in
      try await f.server.application.test(.router) { client in
        // Version document without a token.
        try await client.execute(uri: "/v1", method: .get) { #expect($0.status == .ok) }
        try await client.execute(uri: "/v1/offers", method: .get) { #expect($0.status == .unauthorized) }

        let create =
          #"{"resource_type": "dummy_node", "resource_uuid": "node-1", "start_time": "2030-01-01T00:00:00", "end_time": "2030-01-10T00:00:00", "properties": {"cpus": 8}}"#
        let offerUUID = try await client.execute(
          uri: "/v1/offers", method: .post, headers: Self.headers("owner"), body: ByteBuffer(string: create)
        ) { response -> String in
          #expect(response.status == .created)
          let offer = try Self.json(response.body)
          #expect(offer["status"] as? String == "available")
          #expect(offer["project_id"] as? String == "owner-p")
          #expect(offer["resource"] as? String == "rack1-1")
          #expect(offer["resource_class"] as? String == "gpu")
          #expect(offer["start_time"] as? String == "2030-01-01T00:00:00")
          #expect((offer["properties"] as? [String: Any])?["cpus"] as? Int == 8)
          #expect((offer["availabilities"] as? [[String]])?.first == ["2030-01-01T00:00:00", "2030-01-10T00:00:00"])
          #expect(offer.keys.contains("parent_lease_uuid"))
          return offer["uuid"] as? String ?? ""
        }
        let claim = #"{"start_time": "2030-01-02T00:00:00", "end_time": "2030-01-03T00:00:00"}"#
        let leaseUUID = try await client.execute(
          uri: "/v1/offers/\(offerUUID)/claim", method: .post, headers: Self.headers("lessee"),
          body: ByteBuffer(string: claim)
        ) { response -> String in
          #expect(response.status == .created)
          let lease = try Self.json(response.body)
          #expect(lease["status"] as? String == "created")
          #expect(lease["project_id"] as? String == "lessee-p")
          #expect(lease["owner_id"] as? String == "owner-p")
          #expect(lease["offer_uuid"] as? String == offerUUID)
          return lease["uuid"] as? String ?? ""
        }
        // The same window again: 409 with esi-leap's message.
        try await client.execute(
          uri: "/v1/offers/\(offerUUID)/claim", method: .post, headers: Self.headers("other"),
          body: ByteBuffer(string: claim)
        ) { response in
          #expect(response.status == .conflict)
          let body = try Self.json(response.body)
          #expect(body["faultstring"] as? String ?? "" != "")
        }
        try await client.execute(uri: "/v1/leases", method: .get, headers: Self.headers("lessee")) { response in
          let leases = try Self.json(response.body)["leases"] as? [[String: Any]] ?? []
          #expect(leases.map { $0["uuid"] as? String } == [leaseUUID])
        }
        try await client.execute(uri: "/v1/leases", method: .get, headers: Self.headers("other")) { response in
          let body = try Self.json(response.body)
          #expect((body["leases"] as? [Any])?.isEmpty == true)
        }
        try await client.execute(uri: "/v1/leases/\(leaseUUID)", method: .get, headers: Self.headers("other")) {
          response in
          #expect(response.status == .forbidden)
          let body = try Self.json(response.body)
          #expect(body["faultstring"] as? String == "Access was denied to lease \(leaseUUID).")
        }
        try await client.execute(uri: "/v1/leases/nope", method: .get, headers: Self.headers("admin")) { response in
          #expect(response.status == .notFound)
        }
        try await client.execute(
          uri: "/v1/offers?status=any&resource_uuid=rack1-1&resource_type=dummy_node", method: .get,
          headers: Self.headers("lessee")
        ) { response in
          let body = try Self.json(response.body)
          #expect((body["offers"] as? [Any])?.count == 1)
        }
        try await client.execute(uri: "/v1/nodes", method: .get, headers: Self.headers("owner")) { response in
          let nodes = try Self.json(response.body)["nodes"] as? [[String: Any]] ?? []
          #expect(nodes.map { $0["uuid"] as? String } == ["node-1", "node-2"])
          #expect(nodes.first?["future_offers"] as? String == offerUUID)
          #expect(nodes.first?["future_leases"] as? String == leaseUUID)
        }
        try await client.execute(uri: "/v1/leases/\(leaseUUID)", method: .delete, headers: Self.headers("lessee")) {
          #expect($0.status == .ok)
        }
        try await client.execute(uri: "/v1/offers/\(offerUUID)", method: .delete, headers: Self.headers("lessee")) {
          #expect($0.status == .forbidden)
        }
        try await client.execute(uri: "/v1/offers/\(offerUUID)", method: .delete, headers: Self.headers("owner")) {
          #expect($0.status == .ok)
        }
      }
    }
  }

  @Test func badInputIs400AndChangesNothing() async throws {
    try await LeasingFixture.withSQLite { f in
      try await f.server.application.test(.router) { client in
        let bodies = [
          "{not json": "not valid JSON",
          "[]": "JSON object",
          #"{"resource_uuid": "node-1", "resource_type": "dummy_node", "start_time": "tomorrow"}"#: "start_time",
          #"{"resource_uuid": "node-1", "resource_type": "dummy_node", "start_time": "2030-01-02T00:00:00", "end_time": "2030-01-01T00:00:00"}"#:
            "Start Time must be strictly less than End Time",
          #"{"resource_uuid": "no-such-node", "resource_type": "dummy_node"}"#: "no-such-node",
          #"{"resource_type": "dummy_node"}"#: "resource_uuid",
          #"{"resource_uuid": "node-1", "resource_type": "dummy_node", "status": "expired"}"#: "read-only",
          #"{"resource_uuid": "node-1", "resource_type": "dummy_node", "colour": "red"}"#: "unknown field 'colour'",
          #"{"resource_uuid": 7, "resource_type": "dummy_node"}"#: "must be a string",
          "": "empty",
        ]
        for (body, expected) in bodies {
          try await client.execute(
            uri: "/v1/offers", method: .post, headers: Self.headers("owner"), body: ByteBuffer(string: body)
          ) { response in
            #expect(response.status == .badRequest, "\(body)")
            let message = try Self.json(response.body)["faultstring"] as? String ?? ""
            #expect(message.contains(expected), "\(body): \(message)")
          }
        }
        try await client.execute(
          uri: "/v1/offers?start_time=2030-01-01T00:00:00", method: .get, headers: Self.headers("owner")
        ) { #expect($0.status == .badRequest) }
        try await client.execute(uri: "/v1/leases?status=bogus", method: .get, headers: Self.headers("owner")) {
          #expect($0.status == .badRequest)
        }
        try await client.execute(
          uri: "/v1/leases", method: .post, headers: Self.headers("owner"),
          body: ByteBuffer(
            string:
              #"{"resource_uuid": "node-1", "resource_type": "dummy_node", "project_id": "lessee-p", "end_time": "x"}"#)
        ) { #expect($0.status == .badRequest) }
      }
      #expect(try await f.store.offers(OfferFilter(statuses: nil)).isEmpty)
      #expect(try await f.store.leases(LeaseFilter(statuses: nil)).isEmpty)
    }
  }
}
