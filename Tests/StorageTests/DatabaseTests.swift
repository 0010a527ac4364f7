import Foundation
import StorageTestSupport
import Testing

@testable import Storage

/// The same contract on both dialects: migrations, transactions, conflicts, leader lock.
enum DatabaseContract {
  static let migrations = MigrationSet(
    module: "test",
    [
      Migration(1, "counters") { dialect in
        [
          "CREATE TABLE counters (id \(dialect.autoIncrementPrimaryKey), name TEXT NOT NULL UNIQUE, value BIGINT NOT NULL)"
        ]
      },
      Migration(2, "events") { _ in
        ["CREATE TABLE events (at BIGINT NOT NULL, note TEXT, ratio DOUBLE PRECISION, flag BOOLEAN)"]
      },
    ])

  static func migrationsRunOnce(_ database: any Database) async throws {
    let first = try await Migrator.migrate(database, [migrations])
    #expect(first.map(\.1) == [1, 2])
    let second = try await Migrator.migrate(database, [migrations])
    #expect(second.isEmpty)
    #expect(try await Migrator.versions(database)["test"] == 2)
    // A program that knows fewer migrations than the database has refuses to run.
    let older = MigrationSet(module: "test", [migrations.migrations[0]])
    await #expect(throws: StorageError.self) { try await Migrator.migrate(database, [older]) }
  }

  static func valuesRoundTrip(_ database: any Database) async throws {
    try await Migrator.migrate(database, [migrations])
    let date = Date(timeIntervalSince1970: 1_800_000_000.123456)
    try await database.write { db in
      try await db.execute(
        "INSERT INTO events (at, note, ratio, flag) VALUES (?, ?, ?, ?)",
        [.date(date), .text("it's a 'quoted' ? mark"), .real(0.5), .bool(true)])
      try await db.execute(
        "INSERT INTO events (at, note, ratio, flag) VALUES (?, ?, ?, ?)", [.integer(1), nil, nil, nil])
    }
    let rows = try await database.read { db in
      try await db.query("SELECT at, note, ratio, flag FROM events ORDER BY at DESC", [])
    }
    #expect(rows.count == 2)
    #expect(abs(try rows[0].date("at").timeIntervalSince(date)) < 0.000_002)
    #expect(try rows[0].string("note") == "it's a 'quoted' ? mark")
    #expect(try rows[0].double("ratio") == 0.5)
    #expect(try rows[0].bool("flag"))
    #expect(try rows[1].optionalString("note") == nil)
    #expect(throws: StorageError.self) { try rows[1].string("note") }
    #expect(throws: StorageError.self) { try rows[0].string("missing") }
  }

  /// One statement, many binding lists: every row written once, changes summed, conflicts ignored as asked,
  /// inside the transaction (rolled back with it).
  static func executeEach(_ database: any Database) async throws {
    try await Migrator.migrate(database, [migrations])
    let rows: [[SQLValue]] = (0..<2500).map { [.text("c\($0 % 2000)"), .integer($0)] }
    let inserted = try await database.write { db in
      try await db.execute("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING", each: rows)
    }
    #expect(inserted == 2000, "500 repeated names ignored")
    let updated = try await database.write { db in
      try await db.execute(
        "UPDATE counters SET value = value + ? WHERE name = ?", each: [[.integer(1), "c1"], [.integer(1), "nope"]])
    }
    #expect(updated == 1)
    await #expect(throws: Error.self) {
      try await database.write { db in
        try await db.execute("INSERT INTO counters (name, value) VALUES (?, ?)", each: [["z1", 1], ["z2", 2]])
        try await db.execute("INSERT INTO counters (name, value) VALUES (?, ?)", each: [["z3", 3], ["c1", 9]])
      }
    }
    let total = try await database.read { db in
      try await db.queryOne("SELECT COUNT(*) AS n, CAST(SUM(value) AS BIGINT) AS s FROM counters")
    }
    #expect(try total?.int("n") == 2000)
    #expect(try total?.int("s") == (0..<2000).reduce(0, +) + 1)
  }

  static func rollbackOnError(_ database: any Database) async throws {
    try await Migrator.migrate(database, [migrations])
    struct Boom: Error {}
    await #expect(throws: Boom.self) {
      try await database.write { db in
        try await db.execute("INSERT INTO counters (name, value) VALUES ('a', 1)", [])
        throw Boom()
      }
    }
    let count = try await database.read { db in try await db.queryOne("SELECT COUNT(*) AS n FROM counters")!.int("n") }
    #expect(count == 0)
    // A constraint violation is a typed error and leaves nothing behind.
    try await database.write { db in try await db.execute("INSERT INTO counters (name, value) VALUES ('a', 1)", []) }
    await #expect(throws: StorageError.self) {
      try await database.write { db in
        try await db.execute("INSERT INTO counters (name, value) VALUES ('b', 1)", [])
        try await db.execute("INSERT INTO counters (name, value) VALUES ('a', 2)", [])
      }
    }
    let names = try await database.read { db in
      try await db.query("SELECT name FROM counters", []).map { try $0.string("name") }
    }
    #expect(names == ["a"])
  }

  /// Many concurrent read-modify-write transactions on one row lose no update (SERIALIZABLE retries on
  /// PostgreSQL, the single writer on SQLite).
  static func concurrentIncrementsAreSerialized(_ database: any Database) async throws {
    try await Migrator.migrate(database, [migrations])
    try await database.write { db in try await db.execute("INSERT INTO counters (name, value) VALUES ('c', 0)", []) }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<40 {
        group.addTask {
          try await database.write { db in
            let value = try await db.queryOne("SELECT value FROM counters WHERE name = 'c'")!.int64("value")
            try await db.execute("UPDATE counters SET value = ? WHERE name = 'c'", [.integer(value + 1)])
          }
        }
      }
      try await group.waitForAll()
    }
    let value = try await database.read { db in
      try await db.queryOne("SELECT value FROM counters WHERE name = 'c'")!.int("value")
    }
    #expect(value == 40)
  }

  /// Only one holder of a leader lock at a time; it is free again afterwards.
  static func leaderLockIsExclusive(_ database: any Database, _ other: any Database) async throws {
    let inner = try await database.withLeaderLock("job") { () -> Bool? in
      // The same lock from another connection pool (another replica) is refused while held.
      try await other.withLeaderLock("job") { true }
    }
    #expect(inner == .some(nil))
    let again = try await other.withLeaderLock("job") { 42 }
    #expect(again == 42)
  }
}

@Suite("Storage on SQLite")
struct SQLiteDatabaseTests {
  @Test func migrationsRunOnce() async throws {
    try await TestDatabases.withSQLite { db, _ in try await DatabaseContract.migrationsRunOnce(db) }
  }

  @Test func valuesRoundTrip() async throws {
    try await TestDatabases.withSQLite { db, _ in try await DatabaseContract.valuesRoundTrip(db) }
  }

  @Test func executeEach() async throws {
    try await TestDatabases.withSQLite { db, _ in try await DatabaseContract.executeEach(db) }
  }

  @Test func rollbackOnError() async throws {
    try await TestDatabases.withSQLite { db, _ in try await DatabaseContract.rollbackOnError(db) }
  }

  @Test func concurrentIncrementsAreSerialized() async throws {
    try await TestDatabases.withSQLite { db, _ in try await DatabaseContract.concurrentIncrementsAreSerialized(db) }
  }

  @Test func leaderLockIsExclusive() async throws {
    try await TestDatabases.withSQLite { db, path in
      let other = try SQLiteDatabase(path: path)
      try await DatabaseContract.leaderLockIsExclusive(db, other)
      await other.close()
    }
  }

  @Test func inMemoryDatabaseWorks() async throws {
    let database = try await DatabaseOpener.open(":memory:")
    try await DatabaseContract.migrationsRunOnce(database)
    try await DatabaseContract.concurrentIncrementsAreSerialized(database)
    await database.close()
  }

  @Test func badLocationsAreConfigurationErrors() async throws {
    await #expect(throws: StorageError.self) { try await DatabaseOpener.open("mysql://x/y") }
    await #expect(throws: StorageError.self) { try await DatabaseOpener.open("postgres:///nohost") }
  }

  @Test func placeholdersAreNumberedOutsideStrings() {
    #expect(SQLDialect.numberedPlaceholders("a = ? AND b = '?' AND c = ?") == "a = $1 AND b = '?' AND c = $2")
  }
}

@Suite("Storage on PostgreSQL", .postgres)
struct PostgresDatabaseTests {
  @Test func migrationsRunOnce() async throws {
    try await TestDatabases.withPostgres { db, _ in try await DatabaseContract.migrationsRunOnce(db) }
  }

  @Test func valuesRoundTrip() async throws {
    try await TestDatabases.withPostgres { db, _ in try await DatabaseContract.valuesRoundTrip(db) }
  }

  @Test func executeEach() async throws {
    try await TestDatabases.withPostgres { db, _ in try await DatabaseContract.executeEach(db) }
  }

  @Test func multiRowInsertsSplitAroundTheirOneTuple() {
    let split = PostgresExecutor.valuesTuple(of: "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT DO NOTHING")
    #expect(split?.0 == "INSERT INTO t (a, b) VALUES " && split?.1 == "(?, ?)" && split?.2 == " ON CONFLICT DO NOTHING")
    #expect(PostgresExecutor.valuesTuple(of: "UPDATE t SET a = ? WHERE b = ?") == nil)
    #expect(PostgresExecutor.valuesTuple(of: "INSERT INTO t (a) VALUES (lower(?))") == nil)
  }

  @Test func rollbackOnError() async throws {
    try await TestDatabases.withPostgres { db, _ in try await DatabaseContract.rollbackOnError(db) }
  }

  @Test func concurrentIncrementsAreSerialized() async throws {
    try await TestDatabases.withPostgres { db, _ in try await DatabaseContract.concurrentIncrementsAreSerialized(db) }
  }

  @Test func leaderLockIsExclusive() async throws {
    try await TestDatabases.withPostgres { db, url in
      let other = try PostgresDatabase(url: url)
      try await DatabaseContract.leaderLockIsExclusive(db, other)
      await other.close()
    }
  }

  @Test func concurrentMigratorsApplyEachStepOnce() async throws {
    try await TestDatabases.withPostgres { db, url in
      let other = try PostgresDatabase(url: url)
      async let a = Migrator.migrate(db, [DatabaseContract.migrations])
      async let b = Migrator.migrate(other, [DatabaseContract.migrations])
      let (first, second) = try await (a, b)
      #expect(first.count + second.count == 2)
      await other.close()
    }
  }
}
