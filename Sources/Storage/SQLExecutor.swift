/// Runs statements inside one transaction (or one read). Handed to the closures of `Database.write` and
/// `Database.read`; never kept beyond them.
public protocol SQLExecutor: Sendable {
  var dialect: SQLDialect { get }
  /// Runs a statement and returns how many rows it changed.
  @discardableResult
  func execute(_ sql: String, _ bindings: [SQLValue]) async throws -> Int
  func query(_ sql: String, _ bindings: [SQLValue]) async throws -> [SQLRow]
  /// Runs one statement once per binding list, in order, and returns how many rows they changed in all.
  /// SQLite runs them in one hop to its connection with the statement prepared once, so a transaction that
  /// writes thousands of rows does not pay a thread hop and a parse per row; PostgreSQL sends them one by one.
  @discardableResult
  func execute(_ sql: String, each bindings: [[SQLValue]]) async throws -> Int
}

extension SQLExecutor {
  @discardableResult
  public func execute(_ sql: String, each bindings: [[SQLValue]]) async throws -> Int {
    var changed = 0
    for row in bindings { changed += try await execute(sql, row) }
    return changed
  }

  @discardableResult
  public func execute(_ sql: String) async throws -> Int { try await execute(sql, []) }

  public func queryOne(_ sql: String, _ bindings: [SQLValue] = []) async throws -> SQLRow? {
    try await query(sql, bindings).first
  }
}
