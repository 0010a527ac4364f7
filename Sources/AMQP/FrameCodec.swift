import NIOCore

/// Cuts the byte stream into frames. Partial frames wait for more bytes; anything that is not a frame
/// (or a frame larger than we told the server it may send) fails with `AMQPError`, which closes the
/// connection: AMQP has no way to resynchronise a stream.
struct FrameDecoder: ByteToMessageDecoder {
  typealias InboundOut = Frame

  /// The largest frame accepted, the `frame_max` this side announced (0 = unlimited).
  var maximumFrameSize: Int
  /// Until the first frame arrives, the server may instead answer with its own protocol header.
  private var firstFrame = true

  init(maximumFrameSize: Int = 131_072) {
    self.maximumFrameSize = maximumFrameSize
  }

  mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
    guard let frame = try Self.decodeFrame(from: &buffer, maximumFrameSize: maximumFrameSize, first: firstFrame)
    else { return .needMoreData }
    firstFrame = false
    context.fireChannelRead(wrapInboundOut(frame))
    return .continue
  }

  mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
    -> DecodingState
  {
    while try decode(context: context, buffer: &buffer) == .continue {}
    // Leftover bytes of a truncated frame are not worth reporting: the connection is gone anyway.
    return .needMoreData
  }

  /// One frame from the front of `buffer`, nil (and the buffer untouched) when it is not complete yet.
  static func decodeFrame(from buffer: inout ByteBuffer, maximumFrameSize: Int = 0, first: Bool = false)
    throws(AMQPError) -> Frame?
  {
    guard buffer.readableBytes >= 7 else { return nil }
    let start = buffer.readerIndex
    if first, buffer.getString(at: start, length: 4) == "AMQP" {
      guard buffer.readableBytes >= 8, let bytes = buffer.readBytes(length: 8) else { return nil }
      throw .unsupportedProtocol("AMQP " + bytes[5...].map(String.init).joined(separator: "-"))
    }
    let type = buffer.getInteger(at: start, as: UInt8.self)!
    let channel = buffer.getInteger(at: start + 1, endianness: .big, as: UInt16.self)!
    let size = Int(buffer.getInteger(at: start + 3, endianness: .big, as: UInt32.self)!)
    if maximumFrameSize > 0, size + Frame.overhead > maximumFrameSize {
      throw .frameTooLarge(size: size + Frame.overhead, limit: maximumFrameSize)
    }
    guard let kind = Frame.Kind(rawValue: type) else {
      throw .malformedFrame("unknown frame type \(type)")
    }
    guard buffer.readableBytes >= 7 + size + 1 else { return nil }
    guard buffer.getInteger(at: start + 7 + size, as: UInt8.self) == Frame.end else {
      throw .malformedFrame("missing frame-end octet after \(size)-byte payload")
    }
    buffer.moveReaderIndex(forwardBy: 7)
    var payload = buffer.readSlice(length: size)!
    buffer.moveReaderIndex(forwardBy: 1)
    let frame: Frame
    switch kind {
    case .method:
      frame = .method(channel: channel, try Method.decode(from: &payload))
    case .header:
      frame = .header(channel: channel, try ContentHeader.decode(from: &payload))
    case .body:
      return .body(channel: channel, payload)
    case .heartbeat:
      guard channel == 0 else { throw .malformedFrame("heartbeat on channel \(channel)") }
      return .heartbeat
    }
    if payload.readableBytes > 0 {
      throw .malformedFrame("\(payload.readableBytes) unread bytes after the arguments of a \(kind) frame")
    }
    return frame
  }
}

/// Writes frames (and the protocol header, sent as raw bytes before any frame).
struct FrameEncoder: MessageToByteEncoder {
  typealias OutboundIn = Frame

  func encode(data: Frame, out: inout ByteBuffer) throws {
    try Self.encode(data, into: &out)
  }

  static func encode(_ frame: Frame, into out: inout ByteBuffer) throws(AMQPError) {
    let type: Frame.Kind
    switch frame {
    case .protocolHeader:
      out.writeBytes(Frame.protocolHeaderBytes)
      return
    case .method: type = .method
    case .header: type = .header
    case .body: type = .body
    case .heartbeat: type = .heartbeat
    }
    out.writeInteger(type.rawValue)
    out.writeInteger(frame.channel, endianness: .big)
    let sizeIndex = out.writerIndex
    out.writeInteger(UInt32(0), endianness: .big)
    switch frame {
    case .method(_, let method): try method.encode(into: &out)
    case .header(_, let header): try header.encode(into: &out)
    case .body(_, var body): out.writeBuffer(&body)
    case .heartbeat, .protocolHeader: break
    }
    out.setInteger(UInt32(out.writerIndex - sizeIndex - 4), at: sizeIndex, endianness: .big)
    out.writeInteger(Frame.end)
  }
}
