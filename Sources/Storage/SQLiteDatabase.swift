import Foundation
import GRDB
import Logging

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// SQLite through GRDB: WAL mode (readers never wait for the writer), one writer at a time (BEGIN IMMEDIATE
/// under a process-wide async lock; other processes wait on SQLite's busy timeout).
public final class SQLiteDatabase: Database, @unchecked Sendable {
  public let dialect = SQLDialect.sqlite
  public let path: String
  let writer: any DatabaseWriter
  let writeLock = AsyncLock()
  let logger: Logger
  /// An in-memory database has one connection: reads take the writer lock too.
  let serializesReads: Bool

  public var displayName: String { "sqlite:\(path)" }

  public init(path: String, logger: Logger = Logger(label: "steward.storage")) throws {
    self.path = path
    self.logger = logger
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    // Transactions span several async statements (see `write`); GRDB must not treat that as a leak.
    configuration.allowsUnsafeTransactions = true
    configuration.foreignKeysEnabled = true
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
    do {
      if path == ":memory:" {
        writer = try DatabaseQueue(configuration: configuration)
        serializesReads = true
      } else {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: directory) {
          try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        writer = try DatabasePool(path: path, configuration: configuration)
        serializesReads = false
      }
    } catch {
      throw StorageError(.configuration, "cannot open SQLite database '\(path)': \(Self.describe(error))")
    }
  }

  public func write<T: Sendable>(
    isolation: Isolation, _ body: @Sendable (any SQLExecutor) async throws -> T
  ) async throws -> T {
    await writeLock.lock()
    do {
      let result = try await retrying(body)
      await writeLock.unlock()
      return result
    } catch {
      await writeLock.unlock()
      throw error
    }
  }

  private func retrying<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
    var attempt = 0
    while true {
      do {
        return try await runTransaction(body)
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 8 {
        // Another process holds the file's write lock beyond the busy timeout: try again.
        attempt += 1
        try await Task.sleep(for: retryDelay(attempt: attempt))
      } catch let error as DatabaseError {
        throw Self.storageError(error)
      }
    }
  }

  private func runTransaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
    try await writer.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
    let executor = SQLiteExecutor(writer: writer, reader: nil)
    do {
      let result = try await body(executor)
      try await writer.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
      return result
    } catch {
      try? await writer.writeWithoutTransaction { db in
        if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
      }
      throw error
    }
  }

  public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
    if serializesReads {
      await writeLock.lock()
      do {
        let result = try await body(SQLiteExecutor(writer: writer, reader: nil))
        await writeLock.unlock()
        return result
      } catch let error as DatabaseError {
        await writeLock.unlock()
        throw Self.storageError(error)
      } catch {
        await writeLock.unlock()
        throw error
      }
    }
    do {
      return try await body(SQLiteExecutor(writer: nil, reader: writer))
    } catch let error as DatabaseError {
      throw Self.storageError(error)
    }
  }

  public func withLeaderLock<T: Sendable>(_ name: String, _ body: @Sendable () async throws -> T) async throws -> T? {
    let lockPath = path == ":memory:" ? nil : path + ".\(name).lock"
    guard let lockPath else {
      return try await MemoryLeaderLocks.shared.with(name, body)
    }
    let fd = open(lockPath, O_CREAT | O_RDWR, 0o644)
    guard fd >= 0 else { throw StorageError(.database, "cannot open lock file \(lockPath)") }
    defer { closeDescriptor(fd) }
    // flock belongs to this open file description: a second open (another task or process) is refused, and the
    // kernel drops it when the process dies.
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return nil }
    defer { flock(fd, LOCK_UN) }
    return try await body()
  }

  public func close() async {
    try? writer.close()
  }

  static func storageError(_ error: DatabaseError) -> StorageError {
    switch error.resultCode {
    case .SQLITE_CONSTRAINT: return StorageError(.constraint, error.message ?? "constraint failed")
    case .SQLITE_BUSY, .SQLITE_LOCKED: return StorageError(.conflict, "the database is busy: \(describe(error))")
    default: return StorageError(.database, describe(error))
    }
  }

  static func describe(_ error: Error) -> String {
    if let error = error as? DatabaseError {
      return "\(error.message ?? "\(error.resultCode)") (SQL: \(error.sql ?? "-"))"
    }
    return "\(error)"
  }
}

/// In-process leader locks for databases without a file (tests on `:memory:`).
actor MemoryLeaderLocks {
  static let shared = MemoryLeaderLocks()
  private var held: Set<String> = []

  func acquire(_ name: String) -> Bool { held.insert(name).inserted }
  func release(_ name: String) { held.remove(name) }

  nonisolated func with<T: Sendable>(_ name: String, _ body: @Sendable () async throws -> T) async throws -> T? {
    guard await acquire(name) else { return nil }
    do {
      let result = try await body()
      await release(name)
      return result
    } catch {
      await release(name)
      throw error
    }
  }
}

struct SQLiteExecutor: SQLExecutor {
  let writer: (any DatabaseWriter)?
  let reader: (any DatabaseReader)?
  var dialect: SQLDialect { .sqlite }

  func execute(_ sql: String, _ bindings: [SQLValue]) async throws -> Int {
    guard let writer else { throw StorageError(.database, "write attempted in a read-only block: \(sql)") }
    let arguments = Self.arguments(bindings)
    let cacheable = Self.isCacheable(sql)
    return try await writer.writeWithoutTransaction { db in
      if cacheable {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
      } else {
        try db.execute(sql: sql, arguments: arguments)
      }
      return db.changesCount
    }
  }

  /// Whether a statement is prepared once per connection and kept: single statements with few parameters, which
  /// are the ones run per row (preparing one runs SQLite's parser and GRDB's authorizer for every column: a
  /// tenth of a metering batch's time). Multi-statement SQL (migrations, triggers) and the long `IN (?, …)`
  /// lists of batch queries, whose text changes with the batch size, are prepared each time instead of
  /// filling the cache with one statement per size.
  static func isCacheable(_ sql: String) -> Bool {
    var parameters = 0
    for byte in sql.utf8 {
      if byte == UInt8(ascii: ";") { return false }
      if byte == UInt8(ascii: "?") {
        parameters += 1
        if parameters > 32 { return false }
      }
    }
    return true
  }

  func execute(_ sql: String, each bindings: [[SQLValue]]) async throws -> Int {
    guard let writer else { throw StorageError(.database, "write attempted in a read-only block: \(sql)") }
    guard !bindings.isEmpty else { return 0 }
    let arguments = bindings.map(Self.arguments)
    return try await writer.writeWithoutTransaction { db in
      let statement = try db.cachedStatement(sql: sql)
      var changed = 0
      for row in arguments {
        try statement.execute(arguments: row)
        changed += db.changesCount
      }
      return changed
    }
  }

  func query(_ sql: String, _ bindings: [SQLValue]) async throws -> [SQLRow] {
    let arguments = Self.arguments(bindings)
    let cacheable = Self.isCacheable(sql)
    let fetch: @Sendable (GRDB.Database) throws -> [SQLRow] = { db in
      let rows =
        cacheable
        ? try Row.fetchAll(try db.cachedStatement(sql: sql), arguments: arguments)
        : try Row.fetchAll(db, sql: sql, arguments: arguments)
      guard let first = rows.first else { return [] }
      let columns = Array(first.columnNames)
      return rows.map { row in SQLRow(columns: columns, values: row.databaseValues.map(Self.value)) }
    }
    if let writer { return try await writer.writeWithoutTransaction(fetch) }
    return try await reader!.read(fetch)
  }

  static func arguments(_ bindings: [SQLValue]) -> StatementArguments {
    StatementArguments(
      bindings.map { value -> (any DatabaseValueConvertible)? in
        switch value {
        case .null: return nil
        case .integer(let number): return number
        case .real(let number): return number
        case .text(let text): return text
        case .bool(let flag): return flag
        }
      })
  }

  static func value(_ value: DatabaseValue) -> SQLValue {
    switch value.storage {
    case .null: return .null
    case .int64(let number): return .integer(number)
    case .double(let number): return .real(number)
    case .string(let text): return .text(text)
    case .blob(let data): return .text(String(decoding: data, as: UTF8.self))
    }
  }
}

/// `close(2)`, named apart from `Database.close()`.
private func closeDescriptor(_ fd: Int32) {
  #if canImport(Glibc)
    _ = Glibc.close(fd)
  #else
    _ = Darwin.close(fd)
  #endif
}
