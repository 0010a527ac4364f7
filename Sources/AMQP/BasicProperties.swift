import NIOCore

/// The content header properties of a message (AMQP class `basic`). oslo.messaging sets
/// `content_type=application/json`, `content_encoding=utf-8`, `delivery_mode` and `priority`.
public struct BasicProperties: Sendable, Hashable {
  public var contentType: String?
  public var contentEncoding: String?
  public var headers: FieldTable?
  /// 1 = transient, 2 = persistent.
  public var deliveryMode: UInt8?
  public var priority: UInt8?
  public var correlationID: String?
  public var replyTo: String?
  public var expiration: String?
  public var messageID: String?
  /// Seconds since the epoch.
  public var timestamp: UInt64?
  public var type: String?
  public var userID: String?
  public var appID: String?
  public var clusterID: String?

  public init(
    contentType: String? = nil, contentEncoding: String? = nil, headers: FieldTable? = nil,
    deliveryMode: UInt8? = nil, priority: UInt8? = nil, correlationID: String? = nil, replyTo: String? = nil,
    expiration: String? = nil, messageID: String? = nil, timestamp: UInt64? = nil, type: String? = nil,
    userID: String? = nil, appID: String? = nil, clusterID: String? = nil
  ) {
    self.contentType = contentType
    self.contentEncoding = contentEncoding
    self.headers = headers
    self.deliveryMode = deliveryMode
    self.priority = priority
    self.correlationID = correlationID
    self.replyTo = replyTo
    self.expiration = expiration
    self.messageID = messageID
    self.timestamp = timestamp
    self.type = type
    self.userID = userID
    self.appID = appID
    self.clusterID = clusterID
  }

  /// Persistent messages survive a broker restart when they sit in a durable queue.
  public static let persistent = BasicProperties(deliveryMode: 2)

  // Property flag bits, highest first, in the order the spec lists the properties.
  private enum Flag {
    static let contentType: UInt16 = 1 << 15
    static let contentEncoding: UInt16 = 1 << 14
    static let headers: UInt16 = 1 << 13
    static let deliveryMode: UInt16 = 1 << 12
    static let priority: UInt16 = 1 << 11
    static let correlationID: UInt16 = 1 << 10
    static let replyTo: UInt16 = 1 << 9
    static let expiration: UInt16 = 1 << 8
    static let messageID: UInt16 = 1 << 7
    static let timestamp: UInt16 = 1 << 6
    static let type: UInt16 = 1 << 5
    static let userID: UInt16 = 1 << 4
    static let appID: UInt16 = 1 << 3
    static let clusterID: UInt16 = 1 << 2
  }

  static func decode(from buffer: inout ByteBuffer) throws(AMQPError) -> BasicProperties {
    let flags = try buffer.readAMQPUInt16()
    if flags & 1 != 0 { throw .malformedFrame("continued property flags are not used by class basic") }
    var p = BasicProperties()
    if flags & Flag.contentType != 0 { p.contentType = try buffer.readShortString() }
    if flags & Flag.contentEncoding != 0 { p.contentEncoding = try buffer.readShortString() }
    if flags & Flag.headers != 0 { p.headers = try buffer.readFieldTable() }
    if flags & Flag.deliveryMode != 0 { p.deliveryMode = try buffer.readAMQPUInt8() }
    if flags & Flag.priority != 0 { p.priority = try buffer.readAMQPUInt8() }
    if flags & Flag.correlationID != 0 { p.correlationID = try buffer.readShortString() }
    if flags & Flag.replyTo != 0 { p.replyTo = try buffer.readShortString() }
    if flags & Flag.expiration != 0 { p.expiration = try buffer.readShortString() }
    if flags & Flag.messageID != 0 { p.messageID = try buffer.readShortString() }
    if flags & Flag.timestamp != 0 { p.timestamp = try buffer.readAMQPUInt64() }
    if flags & Flag.type != 0 { p.type = try buffer.readShortString() }
    if flags & Flag.userID != 0 { p.userID = try buffer.readShortString() }
    if flags & Flag.appID != 0 { p.appID = try buffer.readShortString() }
    if flags & Flag.clusterID != 0 { p.clusterID = try buffer.readShortString() }
    return p
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPError) {
    var flags: UInt16 = 0
    if contentType != nil { flags |= Flag.contentType }
    if contentEncoding != nil { flags |= Flag.contentEncoding }
    if headers != nil { flags |= Flag.headers }
    if deliveryMode != nil { flags |= Flag.deliveryMode }
    if priority != nil { flags |= Flag.priority }
    if correlationID != nil { flags |= Flag.correlationID }
    if replyTo != nil { flags |= Flag.replyTo }
    if expiration != nil { flags |= Flag.expiration }
    if messageID != nil { flags |= Flag.messageID }
    if timestamp != nil { flags |= Flag.timestamp }
    if type != nil { flags |= Flag.type }
    if userID != nil { flags |= Flag.userID }
    if appID != nil { flags |= Flag.appID }
    if clusterID != nil { flags |= Flag.clusterID }
    buffer.writeInteger(flags, endianness: .big)
    if let contentType { try buffer.writeShortString(contentType) }
    if let contentEncoding { try buffer.writeShortString(contentEncoding) }
    if let headers { try buffer.writeFieldTable(headers) }
    if let deliveryMode { buffer.writeInteger(deliveryMode) }
    if let priority { buffer.writeInteger(priority) }
    if let correlationID { try buffer.writeShortString(correlationID) }
    if let replyTo { try buffer.writeShortString(replyTo) }
    if let expiration { try buffer.writeShortString(expiration) }
    if let messageID { try buffer.writeShortString(messageID) }
    if let timestamp { buffer.writeInteger(timestamp, endianness: .big) }
    if let type { try buffer.writeShortString(type) }
    if let userID { try buffer.writeShortString(userID) }
    if let appID { try buffer.writeShortString(appID) }
    if let clusterID { try buffer.writeShortString(clusterID) }
  }
}
