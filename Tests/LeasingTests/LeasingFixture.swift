import Foundation
import Logging
import StewardServer
import Storage
import StorageTestSupport

@testable import Leasing

/// A leasing service on dummy nodes with fixed tokens: admin, the nodes' owner, a lessee and an outsider.
struct LeasingFixture: Sendable {
  static let admin = Caller(userID: "admin", projectID: "admin-p", roles: ["admin", "member"])
  static let owner = Caller(userID: "owner", projectID: "owner-p", roles: ["member"])
  static let lessee = Caller(userID: "lessee", projectID: "lessee-p", roles: ["member"])
  static let other = Caller(userID: "other", projectID: "other-p", roles: ["member"])
  static let tokens = ["admin": admin, "owner": owner, "lessee": lessee, "other": other]

  let server: LeasingServer
  let dummy: DummyNodeBackend
  var service: LeasingService { server.service }
  var store: LeasingStore { server.service.store }

  static func nodes() -> [LeasableResource] {
    [
      LeasableResource(
        type: "dummy_node", uuid: "node-1", name: "rack1-1", ownerProjectID: "owner-p", resourceClass: "gpu"),
      LeasableResource(
        type: "dummy_node", uuid: "node-2", name: "rack1-2", ownerProjectID: "owner-p", resourceClass: "cpu"),
      LeasableResource(type: "dummy_node", uuid: "node-3", name: "rack2-1", ownerProjectID: "other-p"),
    ]
  }

  /// Runs `body` with a fresh service on `database` (a SQLite path or postgres URL).
  static func with<T: Sendable>(database: String, _ body: (LeasingFixture) async throws -> T) async throws -> T {
    let dummy = try DummyNodeBackend(nodes: nodes())
    var logger = Logger(label: "leasing-test")
    logger.logLevel = .warning
    let server = try await LeasingServer.make(
      options: .init(database: database, port: 0, runManager: false), session: nil,
      validator: StaticTokenValidator(tokens), extraBackends: [dummy], logger: logger)
    do {
      let result = try await body(LeasingFixture(server: server, dummy: dummy))
      await server.database.close()
      return result
    } catch {
      await server.database.close()
      throw error
    }
  }

  static func withSQLite<T: Sendable>(_ body: (LeasingFixture) async throws -> T) async throws -> T {
    let path = NSTemporaryDirectory() + "steward-leasing-\(UUID().uuidString.prefix(8)).sqlite"
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    return try await with(database: path, body)
  }

  static func withPostgres<T: Sendable>(_ body: (LeasingFixture) async throws -> T) async throws -> T {
    try await TestDatabases.withPostgres { database, url in
      await database.close()
      return try await with(database: url, body)
    }
  }
}

extension Date {
  func hours(_ value: Double) -> Date { addingTimeInterval(value * 3600) }
}
