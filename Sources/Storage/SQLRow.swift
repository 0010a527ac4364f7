import Foundation

/// One result row with typed accessors; a missing column or a wrong type is a `StorageError.decoding`
/// naming the column, never a crash.
public struct SQLRow: Sendable {
  public let columns: [String]
  public let values: [SQLValue]

  public init(columns: [String], values: [SQLValue]) {
    self.columns = columns
    self.values = values
  }

  public subscript(_ column: String) -> SQLValue {
    guard let index = columns.firstIndex(of: column) else { return .null }
    return values[index]
  }

  private func value(_ column: String) throws -> SQLValue {
    guard let index = columns.firstIndex(of: column) else {
      throw StorageError.decoding("no column '\(column)' in the result")
    }
    return values[index]
  }

  public func string(_ column: String) throws -> String {
    guard let value = try optionalString(column) else { throw StorageError.decoding("column '\(column)' is NULL") }
    return value
  }

  public func optionalString(_ column: String) throws -> String? {
    switch try value(column) {
    case .null: return nil
    case .text(let text): return text
    case .integer(let number): return String(number)
    case .real(let number): return String(number)
    case .bool(let flag): return flag ? "true" : "false"
    }
  }

  public func int64(_ column: String) throws -> Int64 {
    guard let value = try optionalInt64(column) else { throw StorageError.decoding("column '\(column)' is NULL") }
    return value
  }

  public func optionalInt64(_ column: String) throws -> Int64? {
    switch try value(column) {
    case .null: return nil
    case .integer(let number): return number
    case .real(let number): return Int64(number)
    case .bool(let flag): return flag ? 1 : 0
    case .text(let text):
      guard let number = Int64(text) else { throw StorageError.decoding("column '\(column)' is not an integer") }
      return number
    }
  }

  public func int(_ column: String) throws -> Int { Int(try int64(column)) }

  public func bool(_ column: String) throws -> Bool {
    switch try value(column) {
    case .bool(let flag): return flag
    case .integer(let number): return number != 0
    default: throw StorageError.decoding("column '\(column)' is not a boolean")
    }
  }

  public func double(_ column: String) throws -> Double {
    switch try value(column) {
    case .real(let number): return number
    case .integer(let number): return Double(number)
    default: throw StorageError.decoding("column '\(column)' is not a number")
    }
  }

  public func date(_ column: String) throws -> Date { SQLValue.date(microseconds: try int64(column)) }

  public func optionalDate(_ column: String) throws -> Date? {
    try optionalInt64(column).map(SQLValue.date(microseconds:))
  }
}
