import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing

@testable import MeteringService

@Suite("Metering service REST API")
struct MeteringRoutesTests {
  typealias F = MeteringServiceFixture

  @Test func projectScopedTokensSeeOnlyTheirProjectAndAdminSeesAll() async throws {
    try await F.with { f in
      try await f.server.application.test(.router) { client in
        try await client.execute(uri: "/v1", method: .get) { #expect($0.status == .ok) }
        try await client.execute(uri: "/v1/projects", method: .get) { response in
          #expect(response.status == .unauthorized)
          let body = try F.json(response.body)
          #expect((body["error"] as? [String: Any])?["code"] as? Int == 401)
        }
        try await client.execute(uri: "/v1/projects", method: .get, headers: F.headers("admin")) { response in
          #expect(response.status == .ok)
          let projects = try F.json(response.body)["projects"] as? [[String: Any]] ?? []
          #expect(projects.compactMap { $0["name"] as? String } == ["alpha", "beta"])
          let alpha = try #require(projects.first { $0["id"] as? String == F.alpha })
          let live = alpha["live_resources"] as? [String: Int] ?? [:]
          #expect(live == ["server": 2, "volume": 1, "stack": 1, "floating_ip": 1])
        }
        try await client.execute(uri: "/v1/projects", method: .get, headers: F.headers("alpha")) { response in
          let projects = try F.json(response.body)["projects"] as? [[String: Any]] ?? []
          #expect(projects.compactMap { $0["id"] as? String } == [F.alpha])
        }
        try await client.execute(uri: "/v1/projects/\(F.beta)", method: .get, headers: F.headers("alpha")) {
          #expect($0.status == .forbidden)
        }
        try await client.execute(uri: "/v1/projects/\(F.beta)/resources", method: .get, headers: F.headers("alpha")) {
          #expect($0.status == .forbidden)
        }
        try await client.execute(uri: "/v1/resources/server/srv-beta", method: .get, headers: F.headers("alpha")) {
          #expect($0.status == .notFound)
        }
        try await client.execute(uri: "/v1/resources/server/srv-beta", method: .get, headers: F.headers("beta")) {
          response in
          #expect(response.status == .ok)
          let resource = try F.json(response.body)["resource"] as? [String: Any] ?? [:]
          #expect(resource["name"] as? String == "beta-box")
        }
      }
    }
  }

  @Test func resourcesAndUsageOfAProject() async throws {
    try await F.with { f in
      try await f.server.application.test(.router) { client in
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/resources?kind=server", method: .get, headers: F.headers("alpha")
        ) { response in
          let resources = try F.json(response.body)["resources"] as? [[String: Any]] ?? []
          #expect(Set(resources.compactMap { $0["name"] as? String }) == ["web-1", "web-2"])
          #expect(resources.allSatisfy { $0["stack_id"] as? String == "stack-web" })
        }
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/resources?deleted=true&kind=server", method: .get, headers: F.headers("alpha")
        ) { response in
          let resources = try F.json(response.body)["resources"] as? [[String: Any]] ?? []
          #expect(resources.count == 3)
        }
        let from = f.start.ISO8601Format(.iso8601)
        let to = f.start.addingTimeInterval(10 * 3600).ISO8601Format(.iso8601)
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/usage?from=\(from)&to=\(to)", method: .get, headers: F.headers("alpha")
        ) { response in
          #expect(response.status == .ok)
          let usage = try F.json(response.body)["usage"] as? [String: Any] ?? [:]
          let totals = usage["totals"] as? [String: Any] ?? [:]
          // web-1, web-2 10 h each, gone 2 h; volume 50 GB × 10 h; one floating IP 10 h.
          if f.start.addingTimeInterval(10 * 3600) <= Date() {
            #expect(totals["instance_hours"] as? Double == 22)
            #expect(totals["volume_gb_hours"] as? Double == 500)
            #expect(totals["floating_ip_hours"] as? Double == 10)
          }
        }
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/usage?from=yesterday", method: .get, headers: F.headers("alpha")
        ) { response in
          #expect(response.status == .badRequest)
          let body = try F.json(response.body)
          #expect((body["faultstring"] as? String ?? "").hasPrefix("from:"))
        }
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/resources?kind=toaster", method: .get, headers: F.headers("alpha")
        ) { response in
          #expect(response.status == .badRequest)
          #expect(F.fault(response.body).hasPrefix("kind:"))
        }
      }
    }
  }

  @Test func actionsCheckInputOwnershipAndNeverEchoTheToken() async throws {
    try await F.with { f in
      try await f.server.application.test(.router) { client in
        try await client.execute(
          uri: "/v1/servers/srv-web-1/actions", method: .post, headers: F.headers("alpha"),
          body: ByteBuffer(string: #"{"action": "explode"}"#)
        ) { response in
          #expect(response.status == .badRequest)
          #expect(F.fault(response.body).hasPrefix("action:"))
        }
        try await client.execute(
          uri: "/v1/volumes/vol-data/actions", method: .post, headers: F.headers("alpha"),
          body: ByteBuffer(string: #"{"action": "off"}"#)
        ) { response in
          #expect(response.status == .badRequest)
          #expect(F.fault(response.body).contains("only destroy"))
        }
        try await client.execute(
          uri: "/v1/servers/srv-web-1/actions", method: .post, headers: F.headers("alpha"),
          body: ByteBuffer(string: #"{"action": 1}"#)
        ) { #expect($0.status == .badRequest) }
        try await client.execute(
          uri: "/v1/servers/srv-web-1/actions", method: .post, headers: F.headers("alpha"),
          body: ByteBuffer(string: "not json")
        ) { #expect($0.status == .badRequest) }
        // Another team's server: not found, not forbidden (its existence is not revealed).
        try await client.execute(
          uri: "/v1/servers/srv-beta/actions", method: .post, headers: F.headers("alpha"),
          body: ByteBuffer(string: #"{"action": "off"}"#)
        ) { #expect($0.status == .notFound) }
        try await client.execute(
          uri: "/v1/servers/srv-gone/actions", method: .post, headers: F.headers("alpha"),
          body: ByteBuffer(string: #"{"action": "off"}"#)
        ) { #expect($0.status == .conflict) }
        // Without a cloud the action itself cannot run: 503, and the answer never carries the token.
        try await client.execute(
          uri: "/v1/servers/srv-web-1/actions", method: .post, headers: F.headers("alpha"),
          body: ByteBuffer(string: #"{"action": "off"}"#)
        ) { response in
          #expect(response.status == .serviceUnavailable)
          #expect(!String(buffer: response.body).contains("alpha\""))
        }
      }
    }
  }

  @Test func quotaChangesAreValidatedAndAdminOnly() async throws {
    try await F.with { f in
      try await f.server.application.test(.router) { client in
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/quotas", method: .put, headers: F.headers("alpha"),
          body: ByteBuffer(string: #"{"compute": {"cores": 8}}"#)
        ) { #expect($0.status == .forbidden) }
        for (body, field) in [
          (#"{"compute": {"cores": "lots"}}"#, "compute.cores"), (#"{"compute": {"cores": -5}}"#, "compute.cores"),
          (#"{"compute": {"cores": true}}"#, "compute.cores"), (#"{"dns": {"zones": 1}}"#, "dns"),
          (#"{"volume": 3}"#, "volume"),
        ] {
          try await client.execute(
            uri: "/v1/projects/\(F.alpha)/quotas", method: .put, headers: F.headers("admin"),
            body: ByteBuffer(string: body)
          ) { response in
            #expect(response.status == .badRequest)
            #expect(F.fault(response.body).hasPrefix("\(field):"))
          }
        }
      }
    }
  }

  @Test func teamInputIsValidatedBeforeAnythingIsWritten() async throws {
    try await F.with { f in
      try await f.server.application.test(.router) { client in
        try await client.execute(
          uri: "/v1/teams", method: .post, headers: F.headers("alpha"), body: ByteBuffer(string: #"{"name": "x"}"#)
        ) { #expect($0.status == .forbidden) }
        for (body, field) in [
          (#"{}"#, "name"), (#"{"name": ""}"#, "name"),
          (
            #"{"name": "t", "members": [{"role": "member"}]}"#,
            "members[0].user"
          ), (#"{"name": "t", "members": {}}"#, "members"), (#"{"name": "t", "colour": "red"}"#, "colour"),
        ] {
          try await client.execute(
            uri: "/v1/teams", method: .post, headers: F.headers("admin"), body: ByteBuffer(string: body)
          ) { response in
            #expect(response.status == .badRequest)
            #expect(F.fault(response.body).hasPrefix("\(field)"))
          }
        }
      }
    }
  }

  @Test func metricsReportLedgerFiguresPerProject() async throws {
    try await F.with { f in
      try await f.server.application.test(.router) { client in
        try await client.execute(uri: "/metrics", method: .get) { response in
          #expect(response.status == .ok)
          let text = String(buffer: response.body)
          #expect(text.contains("steward_metering_resources{project=\"\(F.alpha)\",kind=\"server\"} 2"))
          #expect(text.contains("steward_metering_resources{project=\"\(F.beta)\",kind=\"server\"} 1"))
          #expect(text.contains("steward_metering_resources{project=\"\(F.beta)\",kind=\"image\"} 1"))
          #expect(text.contains("steward_metering_open_intervals 6"))
          #expect(text.contains("steward_metering_dead_letters 0"))
          #expect(text.contains("# TYPE steward_metering_consumer_lag_seconds gauge"))
        }
        try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
      }
    }
  }
}
