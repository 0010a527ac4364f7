import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Metering
import NIOCore
import StewardServer
import Storage
import StorageTestSupport

@testable import MeteringService

/// A service on a fresh SQLite database with two teams: `alpha` (a stack `web` holding servers `web-1`
/// (active) and `web-2` (stopped) and a volume attached to `web-1`; a floating IP outside the rack) and
/// `beta` (one server). Tokens: `admin` (role admin), `alpha` and `beta` (members of their projects).
struct MeteringServiceFixture {
  let server: MeteringServer
  let start: Date

  static let alpha = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  static let beta = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

  static let callers: [String: Caller] = [
    "admin": Caller(userID: "u-admin", userName: "admin", projectID: "admin-p", projectName: "admin", roles: ["admin"]),
    "alpha": Caller(userID: "u-alpha", userName: "alice", projectID: alpha, projectName: "alpha", roles: ["member"]),
    "beta": Caller(userID: "u-beta", userName: "bob", projectID: beta, projectName: "beta", roles: ["member"]),
  ]

  static func with<T: Sendable>(
    costs: (any CostSource)? = nil, billing: (any BillingViews)? = nil,
    _ body: (MeteringServiceFixture) async throws -> T
  ) async throws -> T {
    try await TestDatabases.withSQLite { database, _ in
      var logger = Logger(label: "test.metering-service")
      logger.logLevel = .critical
      let users: [String: (password: String, caller: Caller, token: String)] = [
        "alice": ("alice-secret", callers["alpha"]!, "alpha"), "root": ("root-secret", callers["admin"]!, "admin"),
      ]
      let server = try await MeteringServer.make(
        options: .init(port: 0, overviewTTL: 0), session: nil, validator: StaticTokenValidator(callers),
        authenticator: StaticAuthenticator(users),
        names: FixedProjectNames([alpha: "alpha", beta: "beta"]), costs: costs, billing: billing,
        database: database, logger: logger)
      let start = Period.month(containing: Date()).start.addingTimeInterval(3600)
      try await seed(server.store, start: start)
      return try await body(MeteringServiceFixture(server: server, start: start))
    }
  }

  static func seed(_ store: SQLMeteringStore, start: Date) async throws {
    let observations: [Observation] = [
      Observation(
        key: ResourceKey(.project, alpha), time: start, sourceID: "m-p1",
        snapshot: ResourceSnapshot(projectID: alpha, state: "present")),
      Observation(
        key: ResourceKey(.stack, "stack-web"), time: start, sourceID: "m-s1",
        snapshot: ResourceSnapshot(projectID: alpha, name: "web", state: "CREATE_COMPLETE")),
      Observation(
        key: ResourceKey(.server, "srv-web-1"), time: start, sourceID: "m-1",
        snapshot: ResourceSnapshot(
          projectID: alpha, name: "web-1", state: "active",
          spec: ResourceSpec(flavor: "SCS-2V-4", vcpus: 2, memoryMB: 4096, diskGB: 20), stackID: "stack-web")),
      Observation(
        key: ResourceKey(.server, "srv-web-2"), time: start, sourceID: "m-2",
        snapshot: ResourceSnapshot(
          projectID: alpha, name: "web-2", state: "stopped",
          spec: ResourceSpec(flavor: "SCS-1V-2", vcpus: 1, memoryMB: 2048, diskGB: 10), stackID: "stack-web")),
      Observation(
        key: ResourceKey(.volume, "vol-data"), time: start, sourceID: "m-3",
        snapshot: ResourceSnapshot(
          projectID: alpha, name: "data", state: "in-use", spec: ResourceSpec(flavor: "__DEFAULT__", diskGB: 50),
          attachedTo: ["srv-web-1"])),
      Observation(
        key: ResourceKey(.floatingIP, "fip-1"), time: start, sourceID: "m-4",
        snapshot: ResourceSnapshot(projectID: alpha, state: "associated", address: "172.24.4.10")),
      Observation(
        key: ResourceKey(.server, "srv-beta"), time: start, sourceID: "m-5",
        snapshot: ResourceSnapshot(
          projectID: beta, name: "beta-box", state: "active",
          spec: ResourceSpec(flavor: "SCS-1V-2", vcpus: 1, memoryMB: 2048, diskGB: 10))),
      Observation(
        key: ResourceKey(.server, "srv-gone"), time: start, sourceID: "m-6",
        snapshot: ResourceSnapshot(
          projectID: alpha, name: "gone", state: "active", spec: ResourceSpec(flavor: "SCS-1V-2", vcpus: 1))),
      Observation(
        key: ResourceKey(.server, "srv-gone"), time: start.addingTimeInterval(7200), sourceID: "m-7", snapshot: nil),
    ]
    try await store.write { writer in
      for o in observations { try await writer.apply(o) }
    }
  }

  static func headers(_ token: String) -> HTTPFields {
    [.init("X-Auth-Token")!: token, .contentType: "application/json"]
  }

  static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] else {
      throw FixtureError.notAnObject
    }
    return object
  }

  /// The error message of a JSON error answer ("" when there is none).
  static func fault(_ buffer: ByteBuffer) -> String {
    ((try? json(buffer))?["faultstring"] as? String) ?? ""
  }

  enum FixtureError: Error { case notAnObject }
}
