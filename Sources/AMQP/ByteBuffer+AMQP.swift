import NIOCore

/// Reading and writing the AMQP 0-9-1 domain types. Reads throw `AMQPError.malformedFrame` instead of
/// returning nil, so method decoders read like the spec's argument lists.
extension ByteBuffer {
  mutating func readAMQPUInt8() throws(AMQPError) -> UInt8 {
    guard let v = readInteger(as: UInt8.self) else { throw .malformedFrame("truncated octet") }
    return v
  }

  mutating func readAMQPUInt16() throws(AMQPError) -> UInt16 {
    guard let v = readInteger(endianness: .big, as: UInt16.self) else { throw .malformedFrame("truncated short") }
    return v
  }

  mutating func readAMQPUInt32() throws(AMQPError) -> UInt32 {
    guard let v = readInteger(endianness: .big, as: UInt32.self) else { throw .malformedFrame("truncated long") }
    return v
  }

  mutating func readAMQPUInt64() throws(AMQPError) -> UInt64 {
    guard let v = readInteger(endianness: .big, as: UInt64.self) else {
      throw .malformedFrame("truncated long long")
    }
    return v
  }

  mutating func readShortString() throws(AMQPError) -> String {
    let length = try readAMQPUInt8()
    guard let s = readString(length: Int(length)) else { throw .malformedFrame("truncated short string") }
    return s
  }

  mutating func readLongBytes() throws(AMQPError) -> [UInt8] {
    let length = try readAMQPUInt32()
    guard let bytes = readBytes(length: Int(length)) else { throw .malformedFrame("truncated long string") }
    return bytes
  }

  mutating func readLongString() throws(AMQPError) -> String {
    let bytes = try readLongBytes()
    return String(decoding: bytes, as: UTF8.self)
  }

  mutating func writeShortString(_ s: String) throws(AMQPError) {
    let count = s.utf8.count
    guard count <= 255 else { throw .malformedFrame("short string longer than 255 bytes: \(s.prefix(40))…") }
    writeInteger(UInt8(count))
    writeString(s)
  }

  mutating func writeLongString(_ s: String) {
    writeInteger(UInt32(s.utf8.count), endianness: .big)
    writeString(s)
  }

  mutating func writeLongBytes(_ bytes: [UInt8]) {
    writeInteger(UInt32(bytes.count), endianness: .big)
    writeBytes(bytes)
  }

  // MARK: Field tables

  mutating func readFieldTable() throws(AMQPError) -> FieldTable {
    let length = try readAMQPUInt32()
    guard var slice = readSlice(length: Int(length)) else { throw .malformedFrame("truncated field table") }
    var table = FieldTable()
    while slice.readableBytes > 0 {
      let name = try slice.readShortString()
      table[name] = try slice.readFieldValue()
    }
    return table
  }

  mutating func writeFieldTable(_ table: FieldTable) throws(AMQPError) {
    let lengthIndex = writerIndex
    writeInteger(UInt32(0), endianness: .big)
    // Sorted so the encoding is deterministic (tests compare bytes, brokers do not care).
    for (name, value) in table.sorted(by: { $0.key < $1.key }) {
      try writeShortString(name)
      try writeFieldValue(value)
    }
    setInteger(UInt32(writerIndex - lengthIndex - 4), at: lengthIndex, endianness: .big)
  }

  mutating func readFieldValue() throws(AMQPError) -> FieldValue {
    let tag = try readAMQPUInt8()
    switch UnicodeScalar(tag) {
    case "t": return .bool(try readAMQPUInt8() != 0)
    case "b": return .int8(Int8(bitPattern: try readAMQPUInt8()))
    case "B": return .uint8(try readAMQPUInt8())
    case "s": return .int16(Int16(bitPattern: try readAMQPUInt16()))
    case "u": return .uint16(try readAMQPUInt16())
    case "I": return .int32(Int32(bitPattern: try readAMQPUInt32()))
    case "i": return .uint32(try readAMQPUInt32())
    case "l": return .int64(Int64(bitPattern: try readAMQPUInt64()))
    case "f": return .float(Float(bitPattern: try readAMQPUInt32()))
    case "d": return .double(Double(bitPattern: try readAMQPUInt64()))
    case "D":
      let scale = try readAMQPUInt8()
      return .decimal(scale: scale, value: try readAMQPUInt32())
    case "S":
      let bytes = try readLongBytes()
      if let s = String(validating: bytes, as: UTF8.self) { return .string(s) }
      return .bytes(bytes)
    case "x": return .bytes(try readLongBytes())
    case "A":
      let length = try readAMQPUInt32()
      guard var slice = readSlice(length: Int(length)) else { throw .malformedFrame("truncated field array") }
      var values: [FieldValue] = []
      while slice.readableBytes > 0 { values.append(try slice.readFieldValue()) }
      return .array(values)
    case "T": return .timestamp(try readAMQPUInt64())
    case "F": return .table(try readFieldTable())
    case "V": return .void
    default: throw .malformedFrame("unknown field value type 0x\(String(tag, radix: 16))")
    }
  }

  mutating func writeFieldValue(_ value: FieldValue) throws(AMQPError) {
    func tag(_ c: Character) { writeInteger(c.asciiValue!) }
    switch value {
    case .bool(let v):
      tag("t")
      writeInteger(UInt8(v ? 1 : 0))
    case .int8(let v):
      tag("b")
      writeInteger(v)
    case .uint8(let v):
      tag("B")
      writeInteger(v)
    case .int16(let v):
      tag("s")
      writeInteger(v, endianness: .big)
    case .uint16(let v):
      tag("u")
      writeInteger(v, endianness: .big)
    case .int32(let v):
      tag("I")
      writeInteger(v, endianness: .big)
    case .uint32(let v):
      tag("i")
      writeInteger(v, endianness: .big)
    case .int64(let v):
      tag("l")
      writeInteger(v, endianness: .big)
    case .float(let v):
      tag("f")
      writeInteger(v.bitPattern, endianness: .big)
    case .double(let v):
      tag("d")
      writeInteger(v.bitPattern, endianness: .big)
    case .decimal(let scale, let v):
      tag("D")
      writeInteger(scale)
      writeInteger(v, endianness: .big)
    case .string(let s):
      tag("S")
      writeLongString(s)
    case .bytes(let b):
      tag("x")
      writeLongBytes(b)
    case .array(let values):
      tag("A")
      let lengthIndex = writerIndex
      writeInteger(UInt32(0), endianness: .big)
      for v in values { try writeFieldValue(v) }
      setInteger(UInt32(writerIndex - lengthIndex - 4), at: lengthIndex, endianness: .big)
    case .timestamp(let v):
      tag("T")
      writeInteger(v, endianness: .big)
    case .table(let t):
      tag("F")
      try writeFieldTable(t)
    case .void: tag("V")
    }
  }
}
