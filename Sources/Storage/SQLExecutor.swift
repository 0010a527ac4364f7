/// Runs statements inside one transaction (or one read). Handed to the closures of `Database.write` and
/// `Database.read`; never kept beyond them.
public protocol SQLExecutor: Sendable {
  var dialect: SQLDialect { get }
  /// Runs a statement and returns how many rows it changed.
  @discardableResult
  func execute(_ sql: String, _ bindings: [SQLValue]) async throws -> Int
  func query(_ sql: String, _ bindings: [SQLValue]) async throws -> [SQLRow]
}

extension SQLExecutor {
  @discardableResult
  public func execute(_ sql: String) async throws -> Int { try await execute(sql, []) }

  public func queryOne(_ sql: String, _ bindings: [SQLValue] = []) async throws -> SQLRow? {
    try await query(sql, bindings).first
  }
}
