import Storage

/// The `WHERE` of a filtered list: conditions joined by `AND`, with their bindings in order, so each list
/// query states only which filter maps to which column.
struct SQLConditions {
  private(set) var clauses: [String] = []
  private(set) var bindings: [SQLValue] = []

  /// `column = value` when the filter is set.
  mutating func equal(_ column: String, _ value: String?) {
    guard let value else { return }
    add("\(column) = ?", [.text(value)])
  }

  /// `column IN (…)` when the filter is set.
  mutating func oneOf(_ column: String, _ values: [String]?) {
    guard let values else { return }
    add("\(column) IN (\(LeasingStore.placeholders(values.count)))", values.map { .text($0) })
  }

  mutating func add(_ clause: String, _ values: [SQLValue]) {
    clauses.append(clause)
    bindings += values
  }

  var sql: String { clauses.isEmpty ? "1 = 1" : clauses.joined(separator: " AND ") }
}
