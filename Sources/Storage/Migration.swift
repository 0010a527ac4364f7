import Foundation

/// One schema step of one module. Versions are per module, start at 1 and only grow; a released migration is
/// never edited, a new one is added. `statements` gets the dialect for the few spelling differences.
public struct Migration: Sendable {
  public let version: Int
  public let name: String
  public let statements: @Sendable (SQLDialect) -> [String]

  public init(_ version: Int, _ name: String, _ statements: @escaping @Sendable (SQLDialect) -> [String]) {
    self.version = version
    self.name = name
    self.statements = statements
  }
}

/// The ordered migrations of one feature (`leasing`, `metering`, `billing`, …).
public struct MigrationSet: Sendable {
  public let module: String
  public let migrations: [Migration]

  public init(module: String, _ migrations: [Migration]) {
    self.module = module
    self.migrations = migrations
  }
}

/// Applies pending migrations, each module in one transaction. Replicas starting at once on PostgreSQL
/// serialize on a transaction-scoped advisory lock, so each step runs exactly once.
public enum Migrator {
  public static let table = "steward_schema_migrations"

  /// Applies what is missing and returns the (module, version) pairs it applied.
  @discardableResult
  public static func migrate(_ database: any Database, _ sets: [MigrationSet]) async throws -> [(String, Int)] {
    var applied: [(String, Int)] = []
    for set in sets {
      try validate(set)
      let done = try await database.write(isolation: .readCommitted) { db -> [Int] in
        if db.dialect == .postgres {
          try await db.execute("SELECT pg_advisory_xact_lock(?)", [.integer(lockKey("steward.migrations"))])
        }
        try await db.execute(
          """
          CREATE TABLE IF NOT EXISTS \(table) (
            module TEXT NOT NULL, version BIGINT NOT NULL, name TEXT NOT NULL, applied_at BIGINT NOT NULL,
            PRIMARY KEY (module, version))
          """)
        let rows = try await db.query("SELECT version FROM \(table) WHERE module = ?", [.text(set.module)])
        let existing = Set(try rows.map { try $0.int("version") })
        if let newest = existing.max(), newest > (set.migrations.map(\.version).max() ?? 0) {
          throw StorageError(
            .migration,
            "the database has \(set.module) schema version \(newest), newer than this program knows; upgrade Steward")
        }
        var ran: [Int] = []
        for migration in set.migrations.sorted(by: { $0.version < $1.version })
        where !existing.contains(migration.version) {
          for statement in migration.statements(db.dialect) {
            do {
              try await db.execute(statement)
            } catch {
              throw StorageError(
                .migration, "\(set.module) migration \(migration.version) (\(migration.name)) failed: \(error)")
            }
          }
          try await db.execute(
            "INSERT INTO \(table) (module, version, name, applied_at) VALUES (?, ?, ?, ?)",
            [.text(set.module), .integer(migration.version), .text(migration.name), .date(Date())])
          ran.append(migration.version)
        }
        return ran
      }
      applied += done.map { (set.module, $0) }
    }
    return applied
  }

  static func validate(_ set: MigrationSet) throws {
    let versions = set.migrations.map(\.version)
    guard Set(versions).count == versions.count, versions.allSatisfy({ $0 > 0 }) else {
      throw StorageError(.migration, "\(set.module): migration versions must be positive and unique")
    }
  }

  /// The applied schema versions per module (for `status` output and tests).
  public static func versions(_ database: any Database) async throws -> [String: Int] {
    try await database.read { db in
      let rows = try await db.query("SELECT module, MAX(version) AS version FROM \(table) GROUP BY module", [])
      var result: [String: Int] = [:]
      for row in rows { result[try row.string("module")] = try row.int("version") }
      return result
    }
  }
}
