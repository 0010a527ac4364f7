import NIOCore

/// An AMQP field table (message headers, queue and exchange arguments, server properties).
public typealias FieldTable = [String: FieldValue]

/// A value in a field table, with the type tags RabbitMQ uses (which differ from the 0-9-1 spec's errata:
/// `s` is a signed 16-bit int, `l` a signed 64-bit int, `x` a byte array).
public enum FieldValue: Sendable, Hashable {
  case bool(Bool)
  case int8(Int8)
  case uint8(UInt8)
  case int16(Int16)
  case uint16(UInt16)
  case int32(Int32)
  case uint32(UInt32)
  case int64(Int64)
  case float(Float)
  case double(Double)
  case decimal(scale: UInt8, value: UInt32)
  case string(String)
  case bytes([UInt8])
  case array([FieldValue])
  /// Seconds since the epoch.
  case timestamp(UInt64)
  case table(FieldTable)
  case void

  /// The value as a string, when it is one (long strings that are not UTF-8 arrive as `.bytes`).
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// Any integer type widened to Int64 (queue arguments such as `x-message-ttl` arrive as whatever width
  /// the declaring client chose).
  public var intValue: Int64? {
    switch self {
    case .int8(let v): return Int64(v)
    case .uint8(let v): return Int64(v)
    case .int16(let v): return Int64(v)
    case .uint16(let v): return Int64(v)
    case .int32(let v): return Int64(v)
    case .uint32(let v): return Int64(v)
    case .int64(let v): return v
    default: return nil
    }
  }
}

extension FieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int64) { self = .int64(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
}
