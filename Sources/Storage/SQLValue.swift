import Foundation

/// A value bound to or read from a statement. Dates are stored as microseconds since 1970 in a BIGINT column on
/// both dialects, so ordering, ranges and indexes behave the same on SQLite and PostgreSQL and no time zone
/// conversion ever happens inside the database.
public enum SQLValue: Sendable, Hashable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case bool(Bool)

  public static func date(_ date: Date) -> SQLValue { .integer(SQLValue.microseconds(date)) }
  public static func date(_ date: Date?) -> SQLValue { date.map { .date($0) } ?? .null }
  public static func text(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }
  public static func integer(_ value: Int) -> SQLValue { .integer(Int64(value)) }

  /// Microseconds since 1970, clamped so far-future dates ("no end") still fit in 64 bits.
  public static func microseconds(_ date: Date) -> Int64 {
    let value = (date.timeIntervalSince1970 * 1_000_000).rounded()
    if value >= 9.0e18 { return 9_000_000_000_000_000_000 }
    if value <= -9.0e18 { return -9_000_000_000_000_000_000 }
    return Int64(value)
  }

  public static func date(microseconds: Int64) -> Date {
    Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
  }

  public var isNull: Bool { if case .null = self { return true } else { return false } }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral,
  ExpressibleByBooleanLiteral
{
  public init(stringLiteral value: String) { self = .text(value) }
  public init(integerLiteral value: Int64) { self = .integer(value) }
  public init(nilLiteral: ()) { self = .null }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
}
