/// A value to print, keeping key order so tables, JSON and YAML show fields in the same order.
public indirect enum OutputValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case list([OutputValue])
  case object(Record)

  /// How the value reads in a table cell.
  public var cellText: String {
    switch self {
    case .null: return ""
    case .bool(let value): return value ? "True" : "False"
    case .int(let value): return String(value)
    case .double(let value): return String(value)
    case .string(let value): return value
    case .list(let values): return values.map(\.cellText).joined(separator: ", ")
    case .object(let record):
      return record.fields.map { "\($0.key)='\($0.value.cellText)'" }.joined(separator: ", ")
    }
  }
}

extension OutputValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(nilLiteral: ()) { self = .null }
}

extension OutputValue {
  /// `.null` for `nil`, else the string.
  public static func optional(_ value: String?) -> OutputValue { value.map { .string($0) } ?? .null }
  public static func optional(_ value: Int?) -> OutputValue { value.map { .int($0) } ?? .null }
  public static func optional(_ value: Bool?) -> OutputValue { value.map { .bool($0) } ?? .null }
  public static func strings(_ values: [String]) -> OutputValue { .list(values.map { .string($0) }) }
}

/// An ordered set of named values: one row of a listing, or one object shown field by field.
public struct Record: Sendable, Equatable, ExpressibleByDictionaryLiteral {
  public var fields: [(key: String, value: OutputValue)]

  public init(_ fields: [(key: String, value: OutputValue)] = []) {
    self.fields = fields
  }

  public init(dictionaryLiteral elements: (String, OutputValue)...) {
    fields = elements.map { (key: $0.0, value: $0.1) }
  }

  public subscript(key: String) -> OutputValue? {
    fields.first { $0.key == key }?.value
  }

  public mutating func append(_ key: String, _ value: OutputValue) {
    fields.append((key: key, value: value))
  }

  public static func == (lhs: Record, rhs: Record) -> Bool {
    lhs.fields.count == rhs.fields.count
      && zip(lhs.fields, rhs.fields).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }
}
