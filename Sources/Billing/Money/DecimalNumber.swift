import Foundation

/// An exact decimal number: `units / 10^scale` with a 128-bit integer mantissa. Money in Steward is never a
/// `Double`: prices are read from their YAML text digit by digit, products are exact, and the only place a value
/// loses digits is an explicit `rounded(toScale:_:)` (or `multiplied(by:dividedBy:scale:_:)`) with a named
/// `RoundingMode`, so the same inputs always give the same cents on every platform.
///
/// Equality and ordering compare values (`1.5 == 1.50`); `description` keeps the scale (`"1.50"`), which is how
/// amounts are printed and stored (TEXT columns, JSON strings).
public struct DecimalNumber: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
  /// The integer mantissa.
  public let units: Int128
  /// Digits after the decimal point, 0…18.
  public let scale: Int

  public static let maxScale = 18
  public static let zero = DecimalNumber(units: 0, scale: 0)

  public init(units: Int128, scale: Int) {
    precondition(scale >= 0 && scale <= Self.maxScale, "DecimalNumber scale \(scale) out of 0...18")
    self.units = units
    self.scale = scale
  }

  public init(_ integer: Int) { self.init(units: Int128(integer), scale: 0) }

  /// Parses `12`, `-0.0125`, `+3.50`, `1_000.00`. No exponent, no thousands commas, at most 18 decimals; nil
  /// for anything else (the loader turns that into a message naming the field).
  public init?(_ text: String) {
    var digits = Substring(text.trimmingCharacters(in: .whitespaces)).filter { $0 != "_" }[...]
    var negative = false
    if digits.first == "-" || digits.first == "+" {
      negative = digits.first == "-"
      digits = digits.dropFirst()
    }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2 else { return nil }
    let fraction = parts.count == 2 ? parts[1] : ""
    guard !(whole.isEmpty && fraction.isEmpty), fraction.count <= Self.maxScale, whole.count <= 30,
      whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit)
    else { return nil }
    var value: Int128 = 0
    for c in whole + fraction { value = value * 10 + Int128(c.asciiValue! - 48) }
    self.init(units: negative ? -value : value, scale: fraction.count)
  }

  /// The plain decimal text with exactly `scale` decimals: `-0.05`, `12.30`, `7`.
  public var description: String {
    let negative = units < 0
    let magnitude = negative ? -units : units
    var digits = String(magnitude)
    if scale > 0 {
      if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
      digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
    }
    return (negative ? "-" : "") + digits
  }

  public var isZero: Bool { units == 0 }
  public var isNegative: Bool { units < 0 }
  public var negated: DecimalNumber { DecimalNumber(units: -units, scale: scale) }

  static func power(_ exponent: Int) -> Int128 {
    var result: Int128 = 1
    for _ in 0..<exponent { result *= 10 }
    return result
  }

  /// The same value with more decimals (exact), never fewer.
  func widened(to newScale: Int) -> DecimalNumber {
    newScale <= scale ? self : DecimalNumber(units: units * Self.power(newScale - scale), scale: newScale)
  }

  /// This value at `newScale` decimals, rounded with `mode` when digits are dropped.
  public func rounded(toScale newScale: Int, _ mode: RoundingMode) -> DecimalNumber {
    if newScale >= scale { return widened(to: newScale) }
    let divisor = Self.power(scale - newScale)
    return DecimalNumber(units: Self.divide(units, divisor, mode), scale: newScale)
  }

  /// `self × numerator ÷ denominator` computed exactly and rounded once to `scale` decimals: how a rate
  /// becomes an amount (price × microseconds ÷ microseconds per hour) without intermediate rounding.
  public func multiplied(by numerator: Int128, dividedBy denominator: Int128, scale newScale: Int, _ mode: RoundingMode)
    -> DecimalNumber
  {
    precondition(denominator > 0, "denominator must be positive")
    // value = units × numerator / (denominator × 10^scale); as units at newScale multiply by 10^newScale.
    var top = units * numerator
    var bottom = denominator
    if newScale >= scale { top *= Self.power(newScale - scale) } else { bottom *= Self.power(scale - newScale) }
    return DecimalNumber(units: Self.divide(top, bottom, mode), scale: newScale)
  }

  /// Integer division of a by b (b > 0) rounded with `mode`.
  static func divide(_ a: Int128, _ b: Int128, _ mode: RoundingMode) -> Int128 {
    let quotient = a / b  // truncates toward zero
    let remainder = a % b  // same sign as a
    if remainder == 0 { return quotient }
    let away: Int128 = a < 0 ? -1 : 1
    let twice = (remainder < 0 ? -remainder : remainder) * 2
    switch mode {
    case .down: return quotient
    case .up: return quotient + away
    case .halfUp: return twice >= b ? quotient + away : quotient
    case .halfDown: return twice > b ? quotient + away : quotient
    case .halfEven:
      if twice > b { return quotient + away }
      if twice < b { return quotient }
      return quotient % 2 == 0 ? quotient : quotient + away
    }
  }

  public static func + (a: DecimalNumber, b: DecimalNumber) -> DecimalNumber {
    let s = max(a.scale, b.scale)
    return DecimalNumber(units: a.widened(to: s).units + b.widened(to: s).units, scale: s)
  }

  public static func - (a: DecimalNumber, b: DecimalNumber) -> DecimalNumber { a + b.negated }

  public static func += (a: inout DecimalNumber, b: DecimalNumber) { a = a + b }

  /// Exact product; the scales add up (at most 18).
  public static func * (a: DecimalNumber, b: DecimalNumber) -> DecimalNumber {
    DecimalNumber(units: a.units * b.units, scale: a.scale + b.scale)
  }

  public static func == (a: DecimalNumber, b: DecimalNumber) -> Bool {
    let s = max(a.scale, b.scale)
    return a.widened(to: s).units == b.widened(to: s).units
  }

  public func hash(into hasher: inout Hasher) {
    // Equal values hash equally: hash the value without trailing zeros.
    var u = units
    var s = scale
    while s > 0, u % 10 == 0 {
      u /= 10
      s -= 1
    }
    hasher.combine(u)
    hasher.combine(s)
  }

  public static func < (a: DecimalNumber, b: DecimalNumber) -> Bool {
    let s = max(a.scale, b.scale)
    return a.widened(to: s).units < b.widened(to: s).units
  }

  /// Encoded as its decimal text (a JSON string), never as a JSON number a reader would parse as a double.
  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let value = DecimalNumber(text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a decimal"))
    }
    self = value
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}

/// How digits are dropped. `halfEven` (banker's rounding) is the default of most accounting systems and of
/// IEEE 754; `halfUp` is what most people compute by hand; `up` never undercharges; `down` never overcharges.
public enum RoundingMode: String, Sendable, Hashable, CaseIterable, Codable {
  case halfEven = "half-even"
  case halfUp = "half-up"
  case halfDown = "half-down"
  case up
  case down
}
