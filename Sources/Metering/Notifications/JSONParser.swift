/// A small JSON parser straight into `JSONValue`. JSONDecoder into an enum has to try each case and
/// throw on every miss, which capped parsing at about 2,000 notifications a second; the consumer needs
/// well over 10,000. Strict RFC 8259: one value, no trailing commas, no comments, no NaN.
struct JSONParser {
  struct Failure: Error, CustomStringConvertible {
    var message: String
    var offset: Int
    var description: String { "\(message) at byte \(offset)" }
  }

  private let bytes: [UInt8]
  private var i = 0
  private var depth = 0
  /// A string member of the top-level object kept as unescaped UTF-8 bytes instead of a `String`.
  private var rawMember: String?
  private var raw: [UInt8]?

  static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
    var p = JSONParser(bytes: bytes)
    p.skipWhitespace()
    let value = try p.value()
    p.skipWhitespace()
    guard p.i == p.bytes.count else { throw p.fail("unexpected data after the JSON value") }
    return value
  }

  /// Parses `bytes`; if the top-level object has a string member named `member`, its unescaped UTF-8 bytes
  /// are returned apart (and the member is null in the value). oslo.messaging's envelope carries the
  /// message as a JSON string that is parsed again at once: making a `String` of it only to take its UTF-8
  /// back would cost a validation and two copies per notification.
  static func parse(_ bytes: [UInt8], rawMember member: String) throws(Failure) -> (
    value: JSONValue, raw: [UInt8]?
  ) {
    var p = JSONParser(bytes: bytes)
    p.rawMember = member
    p.skipWhitespace()
    let value = try p.value()
    p.skipWhitespace()
    guard p.i == p.bytes.count else { throw p.fail("unexpected data after the JSON value") }
    return (value, p.raw)
  }

  private init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  private func fail(_ message: String) -> Failure { Failure(message: message, offset: i) }

  private mutating func skipWhitespace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x20, 0x09, 0x0A, 0x0D: i += 1
      default: return
      }
    }
  }

  private mutating func value() throws(Failure) -> JSONValue {
    guard i < bytes.count else { throw fail("unexpected end of input") }
    switch bytes[i] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"):
      try literal("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try literal("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try literal("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw fail("unexpected character '\(Unicode.Scalar(bytes[i]))'")
    }
  }

  private mutating func literal(_ word: StaticString) throws(Failure) {
    let count = word.utf8CodeUnitCount
    guard i + count <= bytes.count else { throw fail("unexpected end of input") }
    let ok = word.withUTF8Buffer { w in (0..<count).allSatisfy { bytes[i + $0] == w[$0] } }
    guard ok else { throw fail("invalid literal") }
    i += count
  }

  private mutating func nest() throws(Failure) {
    depth += 1
    guard depth <= 512 else { throw fail("nesting deeper than 512") }
  }

  private mutating func object() throws(Failure) -> JSONValue {
    try nest()
    i += 1
    var members: [String: JSONValue] = [:]
    skipWhitespace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
      i += 1
      depth -= 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
      let key = try string()
      skipWhitespace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
      i += 1
      skipWhitespace()
      if depth == 1, let rawMember, key == rawMember, i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
        raw = try rawString()
        members[key] = .null
      } else {
        members[key] = try value()
      }
      skipWhitespace()
      guard i < bytes.count else { throw fail("unterminated object") }
      if bytes[i] == UInt8(ascii: ",") {
        i += 1
        continue
      }
      guard bytes[i] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
      i += 1
      depth -= 1
      return .object(members)
    }
  }

  private mutating func array() throws(Failure) -> JSONValue {
    try nest()
    i += 1
    var items: [JSONValue] = []
    skipWhitespace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
      i += 1
      depth -= 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try value())
      skipWhitespace()
      guard i < bytes.count else { throw fail("unterminated array") }
      if bytes[i] == UInt8(ascii: ",") {
        i += 1
        continue
      }
      guard bytes[i] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
      i += 1
      depth -= 1
      return .array(items)
    }
  }

  private mutating func string() throws(Failure) -> String {
    let (plain, unescaped) = try stringContent()
    if let plain { return String(decoding: bytes[plain], as: UTF8.self) }
    return String(decoding: unescaped, as: UTF8.self)
  }

  private mutating func rawString() throws(Failure) -> [UInt8] {
    let (plain, unescaped) = try stringContent()
    if let plain { return Array(bytes[plain]) }
    return unescaped
  }

  /// The string at `i` (its opening quote): the range of its bytes when it has no escapes, else its
  /// unescaped bytes. Runs between escapes are copied whole, not byte by byte.
  private mutating func stringContent() throws(Failure) -> (Range<Int>?, [UInt8]) {
    i += 1  // opening quote
    let start = i
    // Fast path: no escapes.
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        return (start..<(i - 1), [])
      }
      if b == UInt8(ascii: "\\") { break }
      guard b >= 0x20 else { throw fail("control character in string") }
      i += 1
    }
    var out: [UInt8] = []
    out.reserveCapacity(i - start + 64)
    out.append(contentsOf: bytes[start..<i])
    while i < bytes.count {
      let b = bytes[i]
      switch b {
      case UInt8(ascii: "\""):
        i += 1
        return (nil, out)
      case UInt8(ascii: "\\"):
        i += 1
        guard i < bytes.count else { throw fail("unterminated escape") }
        let e = bytes[i]
        i += 1
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try hex4()
          if (0xD800..<0xDC00).contains(scalar) {
            // A high surrogate must be followed by \uDC00-\uDFFF.
            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
              throw fail("unpaired surrogate")
            }
            i += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else if (0xDC00..<0xE000).contains(scalar) {
            throw fail("unpaired surrogate")
          }
          out.append(contentsOf: String(Unicode.Scalar(scalar)!).utf8)
        default: throw fail("invalid escape")
        }
      default:
        let run = i
        while i < bytes.count {
          let c = bytes[i]
          if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { break }
          guard c >= 0x20 else { throw fail("control character in string") }
          i += 1
        }
        out.append(contentsOf: bytes[run..<i])
      }
    }
    throw fail("unterminated string")
  }

  private mutating func hex4() throws(Failure) -> UInt32 {
    guard i + 4 <= bytes.count else { throw fail("truncated \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[i]
      let d: UInt8
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
      default: throw fail("invalid \\u escape")
      }
      v = v << 4 | UInt32(d)
      i += 1
    }
    return v
  }

  private mutating func number() throws(Failure) -> JSONValue {
    let start = i
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    guard i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) else {
      throw fail("invalid number")
    }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
    } else {
      while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
    }
    var integral = true
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      integral = false
      i += 1
      let digits = i
      while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
      guard i > digits else { throw fail("invalid number") }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      integral = false
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      let digits = i
      while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
      guard i > digits else { throw fail("invalid number") }
    }
    if integral, i - start <= 18 {
      // Fits in Int64 without overflow checks: accumulate directly instead of going through a String.
      var v: Int64 = 0
      var k = start
      let negative = bytes[k] == UInt8(ascii: "-")
      if negative { k += 1 }
      while k < i {
        v = v * 10 + Int64(bytes[k] - UInt8(ascii: "0"))
        k += 1
      }
      return .int(negative ? -v : v)
    }
    let text = String(decoding: bytes[start..<i], as: UTF8.self)
    if integral, let v = Int64(text) { return .int(v) }
    guard let d = Double(text) else { throw fail("invalid number") }
    return .double(d)
  }
}
