import Foundation
import Storage
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The databases the storage-backed tests (Storage, Leasing, Metering) run on: a fresh SQLite file, and a fresh
/// PostgreSQL database on the throwaway cluster `scripts/postgres up` starts (skipped when it is not running,
/// required when CI=true).
public enum TestDatabases {
  public static let postgresURL =
    ProcessInfo.processInfo.environment["STEWARD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    ?? "postgres://steward:steward@127.0.0.1:55432/steward_test?sslmode=disable"

  public static var postgresAvailable: Bool {
    if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
    guard let components = URLComponents(string: postgresURL), let port = components.port else { return false }
    return canConnect(host: components.host ?? "127.0.0.1", port: port)
  }

  public static func canConnect(host: String, port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    inet_pton(AF_INET, host, &address.sin_addr)
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    return result == 0
  }

  public static func sqlitePath() -> String {
    NSTemporaryDirectory() + "steward-storage-\(UUID().uuidString.prefix(8)).sqlite"
  }

  /// Runs `body` with a new, empty SQLite database file, removed afterwards.
  public static func withSQLite<T: Sendable>(_ body: (any Database, String) async throws -> T) async throws -> T {
    let path = sqlitePath()
    let database = try await DatabaseOpener.open(path)
    defer {
      for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    do {
      let result = try await body(database, path)
      await database.close()
      return result
    } catch {
      await database.close()
      throw error
    }
  }

  /// Runs `body` with a new, empty PostgreSQL database (created and dropped around it).
  public static func withPostgres<T: Sendable>(_ body: (any Database, String) async throws -> T) async throws -> T {
    let admin = try PostgresDatabase(url: postgresURL)
    let name = "steward_t_\(UUID().uuidString.prefix(8).lowercased())"
    try await admin.executeWithoutTransaction("CREATE DATABASE \(name)")
    var components = URLComponents(string: postgresURL)!
    components.path = "/" + name
    let url = components.string!
    let database = try await DatabaseOpener.open(url)
    do {
      let result = try await body(database, url)
      await database.close()
      try? await admin.executeWithoutTransaction("DROP DATABASE \(name) WITH (FORCE)")
      await admin.close()
      return result
    } catch {
      await database.close()
      try? await admin.executeWithoutTransaction("DROP DATABASE \(name) WITH (FORCE)")
      await admin.close()
      throw error
    }
  }
}

extension Trait where Self == ConditionTrait {
  public static var postgres: Self {
    .enabled(
      if: TestDatabases.postgresAvailable,
      "no PostgreSQL at \(TestDatabases.postgresURL); run scripts/postgres up")
  }
}
