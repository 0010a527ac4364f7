import NIOCore

/// One AMQP frame: `type:u8 channel:u16 size:u32 payload frame-end(0xCE)`.
enum Frame: Sendable, Equatable {
  case method(channel: UInt16, Method)
  case header(channel: UInt16, ContentHeader)
  case body(channel: UInt16, ByteBuffer)
  case heartbeat
  /// Not a frame: the 8 bytes a client sends before anything else. Only ever written.
  case protocolHeader

  static let end: UInt8 = 0xCE
  /// Frame type + channel + size + frame-end.
  static let overhead = 8
  /// The smallest frame_max a peer may impose; the handshake frames must fit into it.
  static let minimumSize = 4096
  /// What a client sends first: "AMQP" 0 0 9 1.
  static let protocolHeaderBytes: [UInt8] = Array("AMQP".utf8) + [0, 0, 9, 1]

  enum Kind: UInt8 {
    case method = 1
    case header = 2
    case body = 3
    case heartbeat = 8
  }

  var channel: UInt16 {
    switch self {
    case .method(let c, _), .header(let c, _), .body(let c, _): c
    case .heartbeat, .protocolHeader: 0
    }
  }

  /// The frames that carry one message: the content header and the body cut into pieces that fit
  /// `frameMax` (0 means unlimited).
  static func content(
    channel: UInt16, classID: UInt16 = 60, properties: BasicProperties, body: ByteBuffer, frameMax: UInt32
  ) -> [Frame] {
    var frames: [Frame] = [
      .header(
        channel: channel, ContentHeader(classID: classID, bodySize: UInt64(body.readableBytes), properties: properties))
    ]
    let chunk = frameMax == 0 ? Int.max : Int(frameMax) - overhead
    var rest = body
    while rest.readableBytes > 0 {
      frames.append(.body(channel: channel, rest.readSlice(length: min(chunk, rest.readableBytes))!))
    }
    return frames
  }
}

/// The content header frame payload.
struct ContentHeader: Sendable, Equatable {
  var classID: UInt16
  var bodySize: UInt64
  var properties: BasicProperties

  static func decode(from buffer: inout ByteBuffer) throws(AMQPError) -> ContentHeader {
    let classID = try buffer.readAMQPUInt16()
    _ = try buffer.readAMQPUInt16()  // weight, unused
    let bodySize = try buffer.readAMQPUInt64()
    return ContentHeader(classID: classID, bodySize: bodySize, properties: try BasicProperties.decode(from: &buffer))
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPError) {
    buffer.writeInteger(classID, endianness: .big)
    buffer.writeInteger(UInt16(0), endianness: .big)
    buffer.writeInteger(bodySize, endianness: .big)
    try properties.encode(into: &buffer)
  }
}
