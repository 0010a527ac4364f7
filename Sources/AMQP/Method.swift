import NIOCore

/// The AMQP 0-9-1 methods this client sends or understands, with the arguments the spec lists
/// (reserved arguments are written as zeros and skipped when read). Both directions are encodable and
/// decodable, so the codec round-trips and tests can play the server.
enum Method: Sendable, Equatable {
  // connection (class 10)
  case connectionStart(
    versionMajor: UInt8, versionMinor: UInt8, serverProperties: FieldTable, mechanisms: String,
    locales: String)
  case connectionStartOk(clientProperties: FieldTable, mechanism: String, response: [UInt8], locale: String)
  case connectionSecure(challenge: [UInt8])
  case connectionSecureOk(response: [UInt8])
  case connectionTune(channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16)
  case connectionTuneOk(channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16)
  case connectionOpen(virtualHost: String)
  case connectionOpenOk
  case connectionClose(CloseReason)
  case connectionCloseOk
  case connectionBlocked(reason: String)
  case connectionUnblocked
  // channel (class 20)
  case channelOpen
  case channelOpenOk
  case channelFlow(active: Bool)
  case channelFlowOk(active: Bool)
  case channelClose(CloseReason)
  case channelCloseOk
  // exchange (class 40)
  case exchangeDeclare(ExchangeDeclare)
  case exchangeDeclareOk
  case exchangeDelete(exchange: String, ifUnused: Bool, noWait: Bool)
  case exchangeDeleteOk
  // queue (class 50)
  case queueDeclare(QueueDeclare)
  case queueDeclareOk(queue: String, messageCount: UInt32, consumerCount: UInt32)
  case queueBind(queue: String, exchange: String, routingKey: String, noWait: Bool, arguments: FieldTable)
  case queueBindOk
  case queuePurge(queue: String, noWait: Bool)
  case queuePurgeOk(messageCount: UInt32)
  case queueDelete(queue: String, ifUnused: Bool, ifEmpty: Bool, noWait: Bool)
  case queueDeleteOk(messageCount: UInt32)
  case queueUnbind(queue: String, exchange: String, routingKey: String, arguments: FieldTable)
  case queueUnbindOk
  // basic (class 60)
  case basicQos(prefetchSize: UInt32, prefetchCount: UInt16, global: Bool)
  case basicQosOk
  case basicConsume(BasicConsume)
  case basicConsumeOk(consumerTag: String)
  case basicCancel(consumerTag: String, noWait: Bool)
  case basicCancelOk(consumerTag: String)
  case basicPublish(exchange: String, routingKey: String, mandatory: Bool, immediate: Bool)
  case basicReturn(replyCode: UInt16, replyText: String, exchange: String, routingKey: String)
  case basicDeliver(consumerTag: String, deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String)
  case basicAck(deliveryTag: UInt64, multiple: Bool)
  case basicReject(deliveryTag: UInt64, requeue: Bool)
  case basicRecover(requeue: Bool)
  case basicRecoverOk
  case basicNack(deliveryTag: UInt64, multiple: Bool, requeue: Bool)
  // confirm (class 85)
  case confirmSelect(noWait: Bool)
  case confirmSelectOk

  struct CloseReason: Sendable, Equatable {
    var replyCode: UInt16
    var replyText: String
    var classID: UInt16
    var methodID: UInt16
  }

  struct ExchangeDeclare: Sendable, Equatable {
    var exchange: String
    var type: String
    var passive = false
    var durable = false
    var autoDelete = false
    var `internal` = false
    var noWait = false
    var arguments: FieldTable = [:]
  }

  struct QueueDeclare: Sendable, Equatable {
    var queue: String
    var passive = false
    var durable = false
    var exclusive = false
    var autoDelete = false
    var noWait = false
    var arguments: FieldTable = [:]
  }

  struct BasicConsume: Sendable, Equatable {
    var queue: String
    var consumerTag: String
    var noLocal = false
    var noAck = false
    var exclusive = false
    var noWait = false
    var arguments: FieldTable = [:]
  }

  /// (class id, method id) as on the wire.
  var id: (UInt16, UInt16) {
    switch self {
    case .connectionStart: (10, 10)
    case .connectionStartOk: (10, 11)
    case .connectionSecure: (10, 20)
    case .connectionSecureOk: (10, 21)
    case .connectionTune: (10, 30)
    case .connectionTuneOk: (10, 31)
    case .connectionOpen: (10, 40)
    case .connectionOpenOk: (10, 41)
    case .connectionClose: (10, 50)
    case .connectionCloseOk: (10, 51)
    case .connectionBlocked: (10, 60)
    case .connectionUnblocked: (10, 61)
    case .channelOpen: (20, 10)
    case .channelOpenOk: (20, 11)
    case .channelFlow: (20, 20)
    case .channelFlowOk: (20, 21)
    case .channelClose: (20, 40)
    case .channelCloseOk: (20, 41)
    case .exchangeDeclare: (40, 10)
    case .exchangeDeclareOk: (40, 11)
    case .exchangeDelete: (40, 20)
    case .exchangeDeleteOk: (40, 21)
    case .queueDeclare: (50, 10)
    case .queueDeclareOk: (50, 11)
    case .queueBind: (50, 20)
    case .queueBindOk: (50, 21)
    case .queuePurge: (50, 30)
    case .queuePurgeOk: (50, 31)
    case .queueDelete: (50, 40)
    case .queueDeleteOk: (50, 41)
    case .queueUnbind: (50, 50)
    case .queueUnbindOk: (50, 51)
    case .basicQos: (60, 10)
    case .basicQosOk: (60, 11)
    case .basicConsume: (60, 20)
    case .basicConsumeOk: (60, 21)
    case .basicCancel: (60, 30)
    case .basicCancelOk: (60, 31)
    case .basicPublish: (60, 40)
    case .basicReturn: (60, 50)
    case .basicDeliver: (60, 60)
    case .basicAck: (60, 80)
    case .basicReject: (60, 90)
    case .basicRecover: (60, 110)
    case .basicRecoverOk: (60, 111)
    case .basicNack: (60, 120)
    case .confirmSelect: (85, 10)
    case .confirmSelectOk: (85, 11)
    }
  }

  /// Whether the method is followed by a content header and body frames.
  var hasContent: Bool {
    switch self {
    case .basicPublish, .basicReturn, .basicDeliver: true
    default: false
    }
  }

  // MARK: Encoding

  func encode(into buffer: inout ByteBuffer) throws(AMQPError) {
    let (classID, methodID) = id
    buffer.writeInteger(classID, endianness: .big)
    buffer.writeInteger(methodID, endianness: .big)
    switch self {
    case .connectionStart(let major, let minor, let props, let mechanisms, let locales):
      buffer.writeInteger(major)
      buffer.writeInteger(minor)
      try buffer.writeFieldTable(props)
      buffer.writeLongString(mechanisms)
      buffer.writeLongString(locales)
    case .connectionStartOk(let props, let mechanism, let response, let locale):
      try buffer.writeFieldTable(props)
      try buffer.writeShortString(mechanism)
      buffer.writeLongBytes(response)
      try buffer.writeShortString(locale)
    case .connectionSecure(let bytes), .connectionSecureOk(let bytes):
      buffer.writeLongBytes(bytes)
    case .connectionTune(let channelMax, let frameMax, let heartbeat),
      .connectionTuneOk(let channelMax, let frameMax, let heartbeat):
      buffer.writeInteger(channelMax, endianness: .big)
      buffer.writeInteger(frameMax, endianness: .big)
      buffer.writeInteger(heartbeat, endianness: .big)
    case .connectionOpen(let vhost):
      try buffer.writeShortString(vhost)
      try buffer.writeShortString("")  // reserved: capabilities
      buffer.writeBits(false)  // reserved: insist
    case .connectionOpenOk:
      try buffer.writeShortString("")  // reserved: known-hosts
    case .connectionClose(let reason), .channelClose(let reason):
      buffer.writeInteger(reason.replyCode, endianness: .big)
      try buffer.writeShortString(reason.replyText)
      buffer.writeInteger(reason.classID, endianness: .big)
      buffer.writeInteger(reason.methodID, endianness: .big)
    case .connectionCloseOk, .connectionUnblocked, .channelCloseOk, .exchangeDeclareOk, .exchangeDeleteOk,
      .queueBindOk, .queueUnbindOk, .basicQosOk, .basicRecoverOk, .confirmSelectOk:
      break
    case .connectionBlocked(let reason):
      try buffer.writeShortString(reason)
    case .channelOpen:
      try buffer.writeShortString("")  // reserved: out-of-band
    case .channelOpenOk:
      buffer.writeLongString("")  // reserved: channel-id
    case .channelFlow(let active), .channelFlowOk(let active):
      buffer.writeBits(active)
    case .exchangeDeclare(let d):
      buffer.writeInteger(UInt16(0), endianness: .big)
      try buffer.writeShortString(d.exchange)
      try buffer.writeShortString(d.type)
      buffer.writeBits(d.passive, d.durable, d.autoDelete, d.internal, d.noWait)
      try buffer.writeFieldTable(d.arguments)
    case .exchangeDelete(let exchange, let ifUnused, let noWait):
      buffer.writeInteger(UInt16(0), endianness: .big)
      try buffer.writeShortString(exchange)
      buffer.writeBits(ifUnused, noWait)
    case .queueDeclare(let d):
      buffer.writeInteger(UInt16(0), endianness: .big)
      try buffer.writeShortString(d.queue)
      buffer.writeBits(d.passive, d.durable, d.exclusive, d.autoDelete, d.noWait)
      try buffer.writeFieldTable(d.arguments)
    case .queueDeclareOk(let queue, let messages, let consumers):
      try buffer.writeShortString(queue)
      buffer.writeInteger(messages, endianness: .big)
      buffer.writeInteger(consumers, endianness: .big)
    case .queueBind(let queue, let exchange, let routingKey, let noWait, let arguments):
      buffer.writeInteger(UInt16(0), endianness: .big)
      try buffer.writeShortString(queue)
      try buffer.writeShortString(exchange)
      try buffer.writeShortString(routingKey)
      buffer.writeBits(noWait)
      try buffer.writeFieldTable(arguments)
    case .queuePurge(let queue, let noWait):
      buffer.writeInteger(UInt16(0), endianness: .big)
      try buffer.writeShortString(queue)
      buffer.writeBits(noWait)
    case .queuePurgeOk(let count), .queueDeleteOk(let count):
      buffer.writeInteger(count, endianness: .big)
    case .queueDelete(let queue, let ifUnused, let ifEmpty, let noWait):
      buffer.writeInteger(UInt16(0), endianness: .big)
      try buffer.writeShortString(queue)
      buffer.writeBits(ifUnused, ifEmpty, noWait)
    case .queueUnbind(let queue, let exchange, let routingKey, let arguments):
      buffer.writeInteger(UInt16(0), endianness: .big)
      try buffer.writeShortString(queue)
      try buffer.writeShortString(exchange)
      try buffer.writeShortString(routingKey)
      try buffer.writeFieldTable(arguments)
    case .basicQos(let size, let count, let global):
      buffer.writeInteger(size, endianness: .big)
      buffer.writeInteger(count, endianness: .big)
      buffer.writeBits(global)
    case .basicConsume(let c):
      buffer.writeInteger(UInt16(0), endianness: .big)
      try buffer.writeShortString(c.queue)
      try buffer.writeShortString(c.consumerTag)
      buffer.writeBits(c.noLocal, c.noAck, c.exclusive, c.noWait)
      try buffer.writeFieldTable(c.arguments)
    case .basicConsumeOk(let tag), .basicCancelOk(let tag):
      try buffer.writeShortString(tag)
    case .basicCancel(let tag, let noWait):
      try buffer.writeShortString(tag)
      buffer.writeBits(noWait)
    case .basicPublish(let exchange, let routingKey, let mandatory, let immediate):
      buffer.writeInteger(UInt16(0), endianness: .big)
      try buffer.writeShortString(exchange)
      try buffer.writeShortString(routingKey)
      buffer.writeBits(mandatory, immediate)
    case .basicReturn(let code, let text, let exchange, let routingKey):
      buffer.writeInteger(code, endianness: .big)
      try buffer.writeShortString(text)
      try buffer.writeShortString(exchange)
      try buffer.writeShortString(routingKey)
    case .basicDeliver(let tag, let deliveryTag, let redelivered, let exchange, let routingKey):
      try buffer.writeShortString(tag)
      buffer.writeInteger(deliveryTag, endianness: .big)
      buffer.writeBits(redelivered)
      try buffer.writeShortString(exchange)
      try buffer.writeShortString(routingKey)
    case .basicAck(let tag, let multiple):
      buffer.writeInteger(tag, endianness: .big)
      buffer.writeBits(multiple)
    case .basicReject(let tag, let requeue):
      buffer.writeInteger(tag, endianness: .big)
      buffer.writeBits(requeue)
    case .basicRecover(let requeue):
      buffer.writeBits(requeue)
    case .basicNack(let tag, let multiple, let requeue):
      buffer.writeInteger(tag, endianness: .big)
      buffer.writeBits(multiple, requeue)
    case .confirmSelect(let noWait):
      buffer.writeBits(noWait)
    }
  }

  // MARK: Decoding

  static func decode(from buffer: inout ByteBuffer) throws(AMQPError) -> Method {
    let classID = try buffer.readAMQPUInt16()
    let methodID = try buffer.readAMQPUInt16()
    func reserved16() throws(AMQPError) { _ = try buffer.readAMQPUInt16() }
    func closeReason() throws(AMQPError) -> CloseReason {
      CloseReason(
        replyCode: try buffer.readAMQPUInt16(), replyText: try buffer.readShortString(),
        classID: try buffer.readAMQPUInt16(), methodID: try buffer.readAMQPUInt16())
    }
    switch (classID, methodID) {
    case (10, 10):
      return .connectionStart(
        versionMajor: try buffer.readAMQPUInt8(), versionMinor: try buffer.readAMQPUInt8(),
        serverProperties: try buffer.readFieldTable(), mechanisms: try buffer.readLongString(),
        locales: try buffer.readLongString())
    case (10, 11):
      return .connectionStartOk(
        clientProperties: try buffer.readFieldTable(), mechanism: try buffer.readShortString(),
        response: try buffer.readLongBytes(), locale: try buffer.readShortString())
    case (10, 20): return .connectionSecure(challenge: try buffer.readLongBytes())
    case (10, 21): return .connectionSecureOk(response: try buffer.readLongBytes())
    case (10, 30), (10, 31):
      let channelMax = try buffer.readAMQPUInt16()
      let frameMax = try buffer.readAMQPUInt32()
      let heartbeat = try buffer.readAMQPUInt16()
      return methodID == 30
        ? .connectionTune(channelMax: channelMax, frameMax: frameMax, heartbeat: heartbeat)
        : .connectionTuneOk(channelMax: channelMax, frameMax: frameMax, heartbeat: heartbeat)
    case (10, 40):
      let vhost = try buffer.readShortString()
      _ = try buffer.readShortString()
      _ = try buffer.readAMQPUInt8()
      return .connectionOpen(virtualHost: vhost)
    case (10, 41):
      _ = try buffer.readShortString()
      return .connectionOpenOk
    case (10, 50): return .connectionClose(try closeReason())
    case (10, 51): return .connectionCloseOk
    case (10, 60): return .connectionBlocked(reason: try buffer.readShortString())
    case (10, 61): return .connectionUnblocked
    case (20, 10):
      _ = try buffer.readShortString()
      return .channelOpen
    case (20, 11):
      _ = try buffer.readLongBytes()
      return .channelOpenOk
    case (20, 20): return .channelFlow(active: try buffer.readBits(1)[0])
    case (20, 21): return .channelFlowOk(active: try buffer.readBits(1)[0])
    case (20, 40): return .channelClose(try closeReason())
    case (20, 41): return .channelCloseOk
    case (40, 10):
      try reserved16()
      let exchange = try buffer.readShortString()
      let type = try buffer.readShortString()
      let bits = try buffer.readBits(5)
      return .exchangeDeclare(
        ExchangeDeclare(
          exchange: exchange, type: type, passive: bits[0], durable: bits[1], autoDelete: bits[2],
          internal: bits[3], noWait: bits[4], arguments: try buffer.readFieldTable()))
    case (40, 11): return .exchangeDeclareOk
    case (40, 20):
      try reserved16()
      let exchange = try buffer.readShortString()
      let bits = try buffer.readBits(2)
      return .exchangeDelete(exchange: exchange, ifUnused: bits[0], noWait: bits[1])
    case (40, 21): return .exchangeDeleteOk
    case (50, 10):
      try reserved16()
      let queue = try buffer.readShortString()
      let bits = try buffer.readBits(5)
      return .queueDeclare(
        QueueDeclare(
          queue: queue, passive: bits[0], durable: bits[1], exclusive: bits[2], autoDelete: bits[3],
          noWait: bits[4], arguments: try buffer.readFieldTable()))
    case (50, 11):
      return .queueDeclareOk(
        queue: try buffer.readShortString(), messageCount: try buffer.readAMQPUInt32(),
        consumerCount: try buffer.readAMQPUInt32())
    case (50, 20):
      try reserved16()
      return .queueBind(
        queue: try buffer.readShortString(), exchange: try buffer.readShortString(),
        routingKey: try buffer.readShortString(), noWait: try buffer.readBits(1)[0],
        arguments: try buffer.readFieldTable())
    case (50, 21): return .queueBindOk
    case (50, 30):
      try reserved16()
      return .queuePurge(queue: try buffer.readShortString(), noWait: try buffer.readBits(1)[0])
    case (50, 31): return .queuePurgeOk(messageCount: try buffer.readAMQPUInt32())
    case (50, 40):
      try reserved16()
      let queue = try buffer.readShortString()
      let bits = try buffer.readBits(3)
      return .queueDelete(queue: queue, ifUnused: bits[0], ifEmpty: bits[1], noWait: bits[2])
    case (50, 41): return .queueDeleteOk(messageCount: try buffer.readAMQPUInt32())
    case (50, 50):
      try reserved16()
      return .queueUnbind(
        queue: try buffer.readShortString(), exchange: try buffer.readShortString(),
        routingKey: try buffer.readShortString(), arguments: try buffer.readFieldTable())
    case (50, 51): return .queueUnbindOk
    case (60, 10):
      return .basicQos(
        prefetchSize: try buffer.readAMQPUInt32(), prefetchCount: try buffer.readAMQPUInt16(),
        global: try buffer.readBits(1)[0])
    case (60, 11): return .basicQosOk
    case (60, 20):
      try reserved16()
      let queue = try buffer.readShortString()
      let tag = try buffer.readShortString()
      let bits = try buffer.readBits(4)
      return .basicConsume(
        BasicConsume(
          queue: queue, consumerTag: tag, noLocal: bits[0], noAck: bits[1], exclusive: bits[2], noWait: bits[3],
          arguments: try buffer.readFieldTable()))
    case (60, 21): return .basicConsumeOk(consumerTag: try buffer.readShortString())
    case (60, 30): return .basicCancel(consumerTag: try buffer.readShortString(), noWait: try buffer.readBits(1)[0])
    case (60, 31): return .basicCancelOk(consumerTag: try buffer.readShortString())
    case (60, 40):
      try reserved16()
      let exchange = try buffer.readShortString()
      let routingKey = try buffer.readShortString()
      let bits = try buffer.readBits(2)
      return .basicPublish(exchange: exchange, routingKey: routingKey, mandatory: bits[0], immediate: bits[1])
    case (60, 50):
      return .basicReturn(
        replyCode: try buffer.readAMQPUInt16(), replyText: try buffer.readShortString(),
        exchange: try buffer.readShortString(), routingKey: try buffer.readShortString())
    case (60, 60):
      return .basicDeliver(
        consumerTag: try buffer.readShortString(), deliveryTag: try buffer.readAMQPUInt64(),
        redelivered: try buffer.readBits(1)[0], exchange: try buffer.readShortString(),
        routingKey: try buffer.readShortString())
    case (60, 80): return .basicAck(deliveryTag: try buffer.readAMQPUInt64(), multiple: try buffer.readBits(1)[0])
    case (60, 90): return .basicReject(deliveryTag: try buffer.readAMQPUInt64(), requeue: try buffer.readBits(1)[0])
    case (60, 110): return .basicRecover(requeue: try buffer.readBits(1)[0])
    case (60, 111): return .basicRecoverOk
    case (60, 120):
      let tag = try buffer.readAMQPUInt64()
      let bits = try buffer.readBits(2)
      return .basicNack(deliveryTag: tag, multiple: bits[0], requeue: bits[1])
    case (85, 10): return .confirmSelect(noWait: try buffer.readBits(1)[0])
    case (85, 11): return .confirmSelectOk
    default: throw .malformedFrame("unknown method \(classID).\(methodID)")
    }
  }
}

extension ByteBuffer {
  /// Consecutive bit arguments share octets, least significant bit first.
  mutating func writeBits(_ bits: Bool...) {
    var octet: UInt8 = 0
    for (i, bit) in bits.enumerated() where bit { octet |= 1 << UInt8(i) }
    writeInteger(octet)
  }

  mutating func readBits(_ count: Int) throws(AMQPError) -> [Bool] {
    let octet = try readAMQPUInt8()
    return (0..<count).map { octet & (1 << UInt8($0)) != 0 }
  }
}
