import Billing
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

/// A service on a fresh SQLite database (optionally with a price list) with two teams, their resources
/// created an hour into last month and still running: `alpha` (a stack `web` holding servers `web-1`
/// (active) and `web-2` (stopped) and a volume attached to `web-1`; a floating IP outside the rack) and
/// `beta` (one server, one 10 GiB image). Tokens: `admin` (role admin), `alpha` and `beta` (members of their projects).
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

  /// The billing unit tests' price list (EUR; SCS-2V-4 at 0.0400 an hour, other flavors by size, floating
  /// IPs 0.005 an hour, 5.00 per stack and 10.00 per project and period).
  static let prices = """
    name: standard-2026
    currency: EUR
    effective_from: 2020-01-01
    rounding:
      scale: 2
      mode: half-even
    hours_per_month: 730
    server:
      flavors:
        SCS-2V-4: "0.0400"
      vcpu_hour: "0.0100"
      ram_gib_hour: "0.0050"
      disk_gib_hour: "0.0001"
      states:
        stopped: disk
        default: full
    volume:
      gib_month: "0.10"
    image:
      gib_month: "0.05"
    floating_ip:
      hour: "0.005"
    fees:
      stack: "5.00"
      project: "10.00"
    """

  static func schedule() throws -> PriceSchedule {
    try PriceSchedule(try PriceListLoader.parse(prices, file: "prices.yaml"))
  }

  /// The month before the running one: its period has ended, so its draft is the same whenever it is rated.
  static var lastMonth: (start: Date, end: Date) {
    Period.month(containing: Period.month(containing: Date()).start.addingTimeInterval(-86_400))
  }

  static func with<T: Sendable>(
    billing: Bool = false, metricsAccess: MetricsAccess = .open, _ body: (MeteringServiceFixture) async throws -> T
  ) async throws -> T {
    try await TestDatabases.withSQLite { database, _ in
      var logger = Logger(label: "test.metering-service")
      logger.logLevel = .critical
      let users: [String: (password: String, caller: Caller, token: String)] = [
        "alice": ("alice-secret", callers["alpha"]!, "alpha"), "root": ("root-secret", callers["admin"]!, "admin"),
      ]
      let server = try await MeteringServer.make(
        options: .init(port: 0, overviewTTL: 0, metricsAccess: metricsAccess), session: nil,
        validator: StaticTokenValidator(callers),
        authenticator: StaticAuthenticator(users),
        names: FixedProjectNames([alpha: "alpha", beta: "beta"]), prices: billing ? try schedule() : nil,
        database: database, logger: logger)
      let start = lastMonth.start.addingTimeInterval(3600)
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
        key: ResourceKey(.image, "img-beta"), time: start, sourceID: "m-8",
        snapshot: ResourceSnapshot(
          projectID: beta, name: "beta-image", state: "active", spec: ResourceSpec(sizeBytes: 10 * 1_073_741_824))),
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
