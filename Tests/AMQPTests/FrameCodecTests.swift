import NIOCore
import NIOEmbedded
import Testing

@testable import AMQP

@Suite struct FrameCodecTests {
  static let allTypes: FieldTable = [
    "bool": .bool(true), "i8": .int8(-8), "u8": .uint8(200), "i16": .int16(-1600), "u16": .uint16(60000),
    "i32": .int32(-320_000), "u32": .uint32(4_000_000_000), "i64": .int64(-64_000_000_000), "float": .float(1.5),
    "double": .double(-2.25), "decimal": .decimal(scale: 2, value: 12345), "string": .string("grüße"),
    "bytes": .bytes([0xFF, 0x00, 0xFE]), "array": .array([.int32(1), .string("two"), .array([.bool(false)])]),
    "timestamp": .timestamp(1_700_000_000), "table": .table(["nested": .table(["deep": .int64(7)])]),
    "void": .void,
  ]

  static let methods: [Method] = [
    .connectionStart(
      versionMajor: 0, versionMinor: 9, serverProperties: ["product": "RabbitMQ", "capabilities": .table(allTypes)],
      mechanisms: "AMQPLAIN PLAIN", locales: "en_US"),
    .connectionStartOk(
      clientProperties: ["product": "Steward"], mechanism: "PLAIN", response: [0, 117, 0, 112], locale: "en_US"),
    .connectionSecure(challenge: [1, 2]), .connectionSecureOk(response: [3]),
    .connectionTune(channelMax: 2047, frameMax: 131072, heartbeat: 60),
    .connectionTuneOk(channelMax: 100, frameMax: 4096, heartbeat: 0),
    .connectionOpen(virtualHost: "/"), .connectionOpenOk,
    .connectionClose(.init(replyCode: 320, replyText: "CONNECTION_FORCED - bye", classID: 0, methodID: 0)),
    .connectionCloseOk, .connectionBlocked(reason: "low on memory"), .connectionUnblocked,
    .channelOpen, .channelOpenOk, .channelFlow(active: true), .channelFlowOk(active: false),
    .channelClose(.init(replyCode: 404, replyText: "NOT_FOUND - no queue 'q'", classID: 50, methodID: 10)),
    .channelCloseOk,
    .exchangeDeclare(
      .init(
        exchange: "nova", type: "topic", passive: false, durable: true, autoDelete: true, internal: false, noWait: true,
        arguments: ["alternate-exchange": "ae"])),
    .exchangeDeclareOk, .exchangeDelete(exchange: "x", ifUnused: true, noWait: false), .exchangeDeleteOk,
    .queueDeclare(
      .init(
        queue: "steward.notifications", passive: true, durable: true, exclusive: false, autoDelete: true, noWait: false,
        arguments: ["x-queue-type": "quorum", "x-message-ttl": .int32(60000)])),
    .queueDeclareOk(queue: "amq.gen-1", messageCount: 12, consumerCount: 3),
    .queueBind(queue: "q", exchange: "nova", routingKey: "notifications.info", noWait: false, arguments: [:]),
    .queueBindOk, .queuePurge(queue: "q", noWait: true), .queuePurgeOk(messageCount: 5),
    .queueDelete(queue: "q", ifUnused: false, ifEmpty: true, noWait: false), .queueDeleteOk(messageCount: 9),
    .queueUnbind(queue: "q", exchange: "e", routingKey: "k", arguments: ["a": 1]), .queueUnbindOk,
    .basicQos(prefetchSize: 0, prefetchCount: 250, global: true), .basicQosOk,
    .basicConsume(
      .init(
        queue: "q", consumerTag: "ctag", noLocal: true, noAck: false, exclusive: true, noWait: false,
        arguments: ["x-priority": .int32(5)])),
    .basicConsumeOk(consumerTag: "ctag"), .basicCancel(consumerTag: "ctag", noWait: true),
    .basicCancelOk(consumerTag: "ctag"),
    .basicPublish(exchange: "nova", routingKey: "notifications.info", mandatory: true, immediate: false),
    .basicReturn(replyCode: 312, replyText: "NO_ROUTE", exchange: "e", routingKey: "k"),
    .basicDeliver(
      consumerTag: "ctag", deliveryTag: UInt64.max - 1, redelivered: true, exchange: "nova",
      routingKey: "notifications.info"),
    .basicAck(deliveryTag: 42, multiple: true), .basicReject(deliveryTag: 43, requeue: false),
    .basicRecover(requeue: true), .basicRecoverOk, .basicNack(deliveryTag: 44, multiple: false, requeue: true),
    .confirmSelect(noWait: false), .confirmSelectOk,
  ]

  private func encode(_ frames: [Frame]) throws -> ByteBuffer {
    var buffer = ByteBuffer()
    for f in frames { try FrameEncoder.encode(f, into: &buffer) }
    return buffer
  }

  @Test(arguments: methods)
  func methodRoundTrips(_ method: Method) throws {
    var buffer = try encode([.method(channel: 7, method)])
    let decoded = try FrameDecoder.decodeFrame(from: &buffer)
    #expect(decoded == .method(channel: 7, method))
    #expect(buffer.readableBytes == 0)
  }

  @Test func fieldTableWithEveryTypeRoundTrips() throws {
    var buffer = ByteBuffer()
    try buffer.writeFieldTable(Self.allTypes)
    #expect(try buffer.readFieldTable() == Self.allTypes)
    #expect(buffer.readableBytes == 0)
  }

  @Test func fieldTableWireFormatMatchesRabbitMQ() throws {
    // {"a": int32 1, "b": longstr "x"} as RabbitMQ encodes it.
    var buffer = ByteBuffer()
    try buffer.writeFieldTable(["a": .int32(1), "b": "x"])
    let expected: [UInt8] = [0, 0, 0, 15, 1, 0x61, 0x49, 0, 0, 0, 1, 1, 0x62, 0x53, 0, 0, 0, 1, 0x78]
    #expect(Array(buffer.readableBytesView) == expected)
  }

  @Test func longStringThatIsNotUTF8DecodesAsBytes() throws {
    var buffer = ByteBuffer(bytes: [0, 0, 0, 8, 1, 0x6B, 0x53, 0, 0, 0, 1, 0xFF])
    #expect(try buffer.readFieldTable() == ["k": .bytes([0xFF])])
  }

  @Test func heartbeatFrameIsEightBytes() throws {
    let buffer = try encode([.heartbeat])
    #expect(Array(buffer.readableBytesView) == [8, 0, 0, 0, 0, 0, 0, 0xCE])
  }

  @Test func protocolHeaderIsAMQP0091() throws {
    let buffer = try encode([.protocolHeader])
    #expect(Array(buffer.readableBytesView) == [0x41, 0x4D, 0x51, 0x50, 0, 0, 9, 1])
  }

  @Test func contentHeaderWithAllPropertiesRoundTrips() throws {
    let properties = BasicProperties(
      contentType: "application/json", contentEncoding: "utf-8",
      headers: ["x-death": .array([.table(["count": .int64(1)])])], deliveryMode: 2, priority: 5,
      correlationID: "c", replyTo: "r", expiration: "60000", messageID: "m-1", timestamp: 1_700_000_000,
      type: "t", userID: "guest", appID: "nova", clusterID: "")
    let header = ContentHeader(classID: 60, bodySize: 1234, properties: properties)
    var buffer = try encode([.header(channel: 1, header)])
    #expect(try FrameDecoder.decodeFrame(from: &buffer) == .header(channel: 1, header))
    var empty = try encode([.header(channel: 1, ContentHeader(classID: 60, bodySize: 0, properties: .init()))])
    #expect(
      try FrameDecoder.decodeFrame(from: &empty)
        == .header(channel: 1, ContentHeader(classID: 60, bodySize: 0, properties: .init())))
  }

  @Test func bodiesAreSplitByFrameMax() throws {
    let body = ByteBuffer(bytes: (0..<10_000).map { UInt8($0 % 251) })
    let frames = Frame.content(channel: 3, properties: .persistent, body: body, frameMax: 4096)
    // header + ceil(10000 / 4088) bodies
    #expect(frames.count == 1 + 3)
    var reassembled = ByteBuffer()
    for case .body(3, var chunk) in frames {
      #expect(chunk.readableBytes + Frame.overhead <= 4096)
      reassembled.writeBuffer(&chunk)
    }
    #expect(reassembled == body)
    #expect(Frame.content(channel: 1, properties: .init(), body: ByteBuffer(), frameMax: 4096).count == 1)
    #expect(Frame.content(channel: 1, properties: .init(), body: body, frameMax: 0).count == 2)
  }

  @Test func partialFramesWaitForMoreBytes() throws {
    let whole = try encode([
      .method(
        channel: 1,
        .basicDeliver(
          consumerTag: "c", deliveryTag: 1, redelivered: false, exchange: "nova", routingKey: "notifications.info")),
      .header(channel: 1, ContentHeader(classID: 60, bodySize: 3, properties: .init(contentType: "application/json"))),
      .body(channel: 1, ByteBuffer(string: "{}\n")), .heartbeat,
    ])
    // Through the real ByteToMessageHandler, one byte at a time.
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
    for byte in whole.readableBytesView {
      try channel.writeInbound(ByteBuffer(bytes: [byte]))
    }
    var frames: [Frame] = []
    while let f = try channel.readInbound(as: Frame.self) { frames.append(f) }
    #expect(frames.count == 4)
    #expect(frames[2] == .body(channel: 1, ByteBuffer(string: "{}\n")))
    #expect(frames[3] == .heartbeat)
    _ = try channel.finish()
    // And directly: every proper prefix of the first frame yields nil and consumes nothing.
    let firstLength = try encode([
      .method(
        channel: 1,
        .basicDeliver(
          consumerTag: "c", deliveryTag: 1, redelivered: false, exchange: "nova", routingKey: "notifications.info"))
    ]).readableBytes
    for cut in [0, 1, 6, 7, 8, 20, firstLength - 1] {
      var prefix = whole.getSlice(at: 0, length: cut)!
      #expect(try FrameDecoder.decodeFrame(from: &prefix) == nil, "prefix of \(cut) bytes")
      #expect(prefix.readerIndex == 0)
    }
    var exact = whole.getSlice(at: 0, length: firstLength)!
    #expect(try FrameDecoder.decodeFrame(from: &exact) != nil)
  }

  @Test func malformedInputFailsWithTypedErrors() throws {
    func decode(_ bytes: [UInt8], max: Int = 0, first: Bool = false) throws(AMQPError) -> Frame? {
      var buffer = ByteBuffer(bytes: bytes)
      return try FrameDecoder.decodeFrame(from: &buffer, maximumFrameSize: max, first: first)
    }
    #expect(throws: AMQPError.malformedFrame("unknown frame type 9")) { try decode([9, 0, 0, 0, 0, 0, 0, 0xCE]) }
    #expect(throws: AMQPError.malformedFrame("missing frame-end octet after 0-byte payload")) {
      try decode([8, 0, 0, 0, 0, 0, 0, 0x00])
    }
    #expect(throws: AMQPError.malformedFrame("heartbeat on channel 1")) { try decode([8, 0, 1, 0, 0, 0, 0, 0xCE]) }
    #expect(throws: AMQPError.malformedFrame("unknown method 99.1")) {
      try decode([1, 0, 1, 0, 0, 0, 4, 0, 99, 0, 1, 0xCE])
    }
    // queue.declare-ok cut short inside its arguments
    #expect(throws: AMQPError.malformedFrame("truncated short string")) {
      try decode([1, 0, 1, 0, 0, 0, 6, 0, 50, 0, 11, 10, 0x61, 0xCE])
    }
    // channel.open-ok followed by junk bytes inside the frame
    #expect(throws: AMQPError.malformedFrame("2 unread bytes after the arguments of a method frame")) {
      try decode([1, 0, 1, 0, 0, 0, 10, 0, 20, 0, 11, 0, 0, 0, 0, 1, 2, 0xCE])
    }
    #expect(throws: AMQPError.frameTooLarge(size: 5008, limit: 4096)) {
      try decode([3, 0, 1, 0, 0, 0x13, 0x88], max: 4096)
    }
    #expect(throws: AMQPError.unsupportedProtocol("AMQP 1-0-0")) {
      try decode(Array("AMQP".utf8) + [0, 1, 0, 0], first: true)
    }
    // Unknown field table type tag 'Z'
    var table = ByteBuffer(bytes: [0, 0, 0, 3, 1, 0x6B, 0x5A])
    #expect(throws: AMQPError.malformedFrame("unknown field value type 0x5a")) { try table.readFieldTable() }
    // A field table claiming more bytes than there are
    var short = ByteBuffer(bytes: [0, 0, 0, 50, 1, 0x6B])
    #expect(throws: AMQPError.malformedFrame("truncated field table")) { try short.readFieldTable() }
  }

  @Test func malformedInputThroughThePipelineClosesWithTheError() throws {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
    #expect(throws: AMQPError.malformedFrame("unknown frame type 9")) {
      try channel.writeInbound(ByteBuffer(bytes: [9, 0, 0, 0, 0, 0, 0, 0xCE]))
    }
    _ = try? channel.finish()
  }

  @Test func arbitraryBytesNeverCrashTheDecoder() {
    // Valid frames with random corruption: the decoder returns a frame, asks for more, or throws AMQPError.
    var generator = SystemRandomNumberGenerator()
    let valid = (try? encode(Self.methods.map { .method(channel: 1, $0) })) ?? ByteBuffer()
    for _ in 0..<2000 {
      var bytes = Array(valid.readableBytesView)
      for _ in 0..<Int.random(in: 1...8, using: &generator) {
        bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
      }
      var buffer = ByteBuffer(bytes: bytes)
      do {
        while try FrameDecoder.decodeFrame(from: &buffer, maximumFrameSize: 131_072) != nil {}
      } catch {
        // typed: AMQPError is the only thing decodeFrame can throw
        _ = error as AMQPError
      }
    }
  }

  @Test func shortStringsLongerThan255BytesAreRefused() {
    var buffer = ByteBuffer()
    #expect(throws: AMQPError.self) { try buffer.writeShortString(String(repeating: "x", count: 256)) }
  }
}
