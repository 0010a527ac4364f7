import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// PostgreSQL through postgres-nio's pooled client. Several Steward replicas may share one database: write
/// transactions are SERIALIZABLE (retried on serialization failures and deadlocks) or READ COMMITTED with row
/// locks, and background jobs take session advisory locks.
public final class PostgresDatabase: Database, @unchecked Sendable {
  public let dialect = SQLDialect.postgres
  public let displayName: String
  let client: PostgresClient
  let logger: Logger
  private let runner: Task<Void, Never>
  /// Serialization failures retried before `conflict` reaches the caller: with the backoff capped at 320 ms
  /// this is about 5 s of trying, enough for forty writers of one row on a loaded 2-core machine (twelve
  /// attempts, under 3 s, ran out there).
  static let maxAttempts = 20

  public init(url: String, logger: Logger = Logger(label: "steward.storage")) throws {
    guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
      throw StorageError(.configuration, "database URL is not postgres://user:password@host:port/dbname")
    }
    let user = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
    let password = components.password.flatMap { $0.removingPercentEncoding }
    var database = components.path
    if database.hasPrefix("/") { database.removeFirst() }
    let sslmode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
    let tls: PostgresClient.Configuration.TLS
    switch sslmode {
    case "disable": tls = .disable
    case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
    case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
    default:
      throw StorageError(.configuration, "database URL: sslmode '\(sslmode)' is not disable, prefer or require")
    }
    var configuration = PostgresClient.Configuration(
      host: host, port: components.port ?? 5432, username: user, password: password,
      database: database.isEmpty ? nil : database, tls: tls)
    configuration.options.maximumConnections = 20
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    self.client = client
    self.logger = logger
    self.displayName = "postgres://\(user)@\(host):\(components.port ?? 5432)/\(database)"
    runner = Task { await client.run() }
  }

  public func write<T: Sendable>(
    isolation: Isolation, _ body: @Sendable (any SQLExecutor) async throws -> T
  ) async throws -> T {
    var attempt = 0
    while true {
      do {
        return try await client.withConnection { connection in
          let executor = PostgresExecutor(connection: connection, logger: logger)
          switch isolation {
          case .serializable: try await executor.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
          case .readCommitted: try await executor.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
          }
          do {
            let result = try await body(executor)
            try await executor.execute("COMMIT")
            return result
          } catch {
            _ = try? await executor.execute("ROLLBACK")
            throw error
          }
        }
      } catch let error as StorageError where error.kind == .conflict && attempt < Self.maxAttempts {
        attempt += 1
        try await Task.sleep(for: retryDelay(attempt: attempt))
      }
    }
  }

  public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
    try await client.withConnection { connection in
      let executor = PostgresExecutor(connection: connection, logger: logger)
      try await executor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
      do {
        let result = try await body(executor)
        try await executor.execute("COMMIT")
        return result
      } catch {
        _ = try? await executor.execute("ROLLBACK")
        throw error
      }
    }
  }

  public func withLeaderLock<T: Sendable>(_ name: String, _ body: @Sendable () async throws -> T) async throws -> T? {
    let key = lockKey(name)
    return try await client.withConnection { connection -> T? in
      let executor = PostgresExecutor(connection: connection, logger: logger)
      let row = try await executor.queryOne("SELECT pg_try_advisory_lock(?) AS locked", [.integer(key)])
      guard let row, try row.bool("locked") else { return nil }
      do {
        let result = try await body()
        _ = try? await executor.execute("SELECT pg_advisory_unlock(?)", [.integer(key)])
        return result
      } catch {
        _ = try? await executor.execute("SELECT pg_advisory_unlock(?)", [.integer(key)])
        throw error
      }
    }
  }

  /// Runs a statement outside any transaction (CREATE DATABASE, VACUUM): administration and test set-up.
  public func executeWithoutTransaction(_ sql: String) async throws {
    try await client.withConnection { connection in
      _ = try await PostgresExecutor(connection: connection, logger: logger).execute(sql, [])
    }
  }

  public func close() async {
    runner.cancel()
    _ = await runner.value
  }
}

struct PostgresExecutor: SQLExecutor {
  let connection: PostgresConnection
  let logger: Logger
  var dialect: SQLDialect { .postgres }

  func execute(_ sql: String, _ bindings: [SQLValue]) async throws -> Int {
    try await run(sql, bindings).metadata.rows ?? 0
  }

  /// `INSERT … VALUES (?, …) [ON CONFLICT …]` for many rows becomes one multi-row INSERT per thousand rows
  /// (a round trip per statement is what costs on PostgreSQL); anything else runs once per binding list.
  /// A multi-row `ON CONFLICT DO UPDATE` fails if two rows hit the same key, so callers do not repeat one.
  func execute(_ sql: String, each bindings: [[SQLValue]]) async throws -> Int {
    guard bindings.count > 1, let (head, tuple, tail) = Self.valuesTuple(of: sql) else {
      var changed = 0
      for row in bindings { changed += try await execute(sql, row) }
      return changed
    }
    let perStatement = max(1, min(1000, 60_000 / max(bindings[0].count, 1)))
    var changed = 0
    var start = 0
    while start < bindings.count {
      let chunk = bindings[start..<min(start + perStatement, bindings.count)]
      let text = head + Array(repeating: tuple, count: chunk.count).joined(separator: ", ") + tail
      changed += try await execute(text, Array(chunk.joined()))
      start += chunk.count
    }
    return changed
  }

  /// An INSERT with exactly one `VALUES (?, …, ?)` tuple, split around that tuple.
  static func valuesTuple(of sql: String) -> (String, String, String)? {
    guard sql.drop(while: \.isWhitespace).uppercased().hasPrefix("INSERT"),
      let values = sql.range(of: "VALUES (", options: .caseInsensitive),
      sql.range(of: "VALUES (", options: .caseInsensitive, range: values.upperBound..<sql.endIndex) == nil
    else { return nil }
    let open = sql.index(before: values.upperBound)
    guard let close = sql[values.upperBound...].firstIndex(of: ")"),
      sql[values.upperBound..<close].allSatisfy({ $0 == "?" || $0 == "," || $0 == " " })
    else { return nil }
    return (String(sql[..<open]), String(sql[open...close]), String(sql[sql.index(after: close)...]))
  }

  func query(_ sql: String, _ bindings: [SQLValue]) async throws -> [SQLRow] {
    let result = try await run(sql, bindings)
    var rows: [SQLRow] = []
    rows.reserveCapacity(result.count)
    var columns: [String]?
    for row in result {
      var values: [SQLValue] = []
      values.reserveCapacity(row.count)
      if columns == nil { columns = row.map(\.columnName) }
      for cell in row { values.append(try Self.value(cell)) }
      rows.append(SQLRow(columns: columns!, values: values))
    }
    return rows
  }

  private func run(_ sql: String, _ bindings: [SQLValue]) async throws -> PostgresQueryResult {
    var binds = PostgresBindings(capacity: bindings.count)
    for value in bindings {
      switch value {
      case .null: binds.appendNull()
      case .integer(let number): binds.append(number)
      case .real(let number): binds.append(number)
      case .text(let text): binds.append(text)
      case .bool(let flag): binds.append(flag)
      }
    }
    let query = PostgresQuery(unsafeSQL: SQLDialect.numberedPlaceholders(sql), binds: binds)
    do {
      return try await connection.query(query, logger: logger).get()
    } catch let error as PSQLError {
      throw Self.storageError(error, sql: sql)
    }
  }

  static func storageError(_ error: PSQLError, sql: String) -> StorageError {
    let state = error.serverInfo?[.sqlState] ?? ""
    let message = error.serverInfo?[.message] ?? "\(error.code)"
    switch state {
    case "40001", "40P01": return StorageError(.conflict, "concurrent transaction conflict: \(message)")
    case "23505", "23503", "23514", "23P01": return StorageError(.constraint, message)
    default:
      return StorageError(.database, "PostgreSQL: \(message)\(state.isEmpty ? "" : " (SQLSTATE \(state))") in: \(sql)")
    }
  }

  static func value(_ cell: PostgresCell) throws -> SQLValue {
    guard cell.bytes != nil else { return .null }
    switch cell.dataType {
    case .int8: return .integer(try cell.decode(Int64.self))
    case .int4: return .integer(Int64(try cell.decode(Int32.self)))
    case .int2: return .integer(Int64(try cell.decode(Int16.self)))
    case .float8: return .real(try cell.decode(Double.self))
    case .float4: return .real(Double(try cell.decode(Float.self)))
    case .bool: return .bool(try cell.decode(Bool.self))
    case .numeric: return .text(try cell.decode(String.self))
    default: return .text(try cell.decode(String.self))
    }
  }
}
