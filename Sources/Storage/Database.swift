import Foundation
import Logging

/// How a write transaction isolates itself on PostgreSQL. SQLite always has one writer at a time, which is
/// stronger than both.
public enum Isolation: Sendable {
  /// Conflicting concurrent transactions fail with a serialization error and are retried from the start; the
  /// closure must therefore be safe to run more than once (no side effects outside the database).
  case serializable
  /// Each statement sees what committed before it; use explicit row locks (`SQLDialect.forUpdate`) to serialize
  /// writers of the same rows. No retries needed for lock waits.
  case readCommitted
}

/// Steward's database: SQLite (one file, embedded default) or PostgreSQL (shared by replicas). Every feature
/// module registers its own ordered migrations and talks SQL with `?` placeholders through `SQLExecutor`.
public protocol Database: Sendable {
  var dialect: SQLDialect { get }
  /// A short description without the password (for logs and `status`).
  var displayName: String { get }

  /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws. Conflicts
  /// with concurrent transactions are retried (see `Isolation`); when retries run out the error is
  /// `StorageError(.conflict)`.
  func write<T: Sendable>(
    isolation: Isolation, _ body: @Sendable (any SQLExecutor) async throws -> T
  ) async throws -> T

  /// Runs `body` with read-only access (a consistent snapshot on PostgreSQL).
  func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T

  /// Runs `body` only if no other process (or task) holds the lock `name` — PostgreSQL advisory lock, a file
  /// lock next to a SQLite file. Returns nil without running `body` when someone else holds it. The lock goes
  /// with the process: a crashed holder never blocks the others.
  func withLeaderLock<T: Sendable>(_ name: String, _ body: @Sendable () async throws -> T) async throws -> T?

  func close() async
}

extension Database {
  public func write<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
    try await write(isolation: .serializable, body)
  }
}

/// Opens databases from what an operator writes on the command line.
public enum DatabaseOpener {
  /// `postgres://user:password@host:port/dbname?sslmode=disable|prefer|require` (also `postgresql://`) opens
  /// PostgreSQL; `sqlite:///path`, `sqlite::memory:`, `:memory:` or any other text is a SQLite file path.
  public static func open(_ location: String, logger: Logger = Logger(label: "steward.storage")) async throws
    -> any Database
  {
    if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
      return try PostgresDatabase(url: location, logger: logger)
    }
    var path = location
    if path.hasPrefix("sqlite://") { path = String(path.dropFirst("sqlite://".count)) }
    if path == "sqlite::memory:" || path.isEmpty { path = ":memory:" }
    if path.contains("://") {
      throw StorageError(.configuration, "database '\(location)': use a file path or postgres://user@host/db")
    }
    return try SQLiteDatabase(path: path, logger: logger)
  }
}

/// Stable 64-bit key for a lock name (FNV-1a), the same in every process and every build.
func lockKey(_ name: String) -> Int64 {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in name.utf8 {
    hash ^= UInt64(byte)
    hash = hash &* 0x100_0000_01b3
  }
  return Int64(bitPattern: hash)
}

/// Jittered exponential backoff for transaction retries.
func retryDelay(attempt: Int) -> Duration {
  let base = min(5 * (1 << min(attempt, 6)), 320)
  return .milliseconds(Int.random(in: base / 2...base))
}
