import NIOCore

/// A channel on an `AMQPConnection`. Broker-side errors (404 NOT_FOUND, 406 PRECONDITION_FAILED…)
/// close only the channel and surface as `AMQPError.channelClosed`; every later call on it throws the same.
public final class AMQPChannel: Sendable {
  public let connection: AMQPConnection
  public let id: UInt16
  let serial: UInt64

  init(connection: AMQPConnection, id: UInt16, serial: UInt64) {
    self.connection = connection
    self.id = id
    self.serial = serial
  }

  /// The result of `queue.declare`.
  public struct QueueInfo: Sendable, Hashable {
    /// The queue's name (the server's choice when declared with an empty name).
    public var name: String
    public var messageCount: UInt32
    public var consumerCount: UInt32
  }

  // MARK: Exchanges

  /// Declares an exchange (`topic` is what oslo.messaging uses for the service exchanges). Declaring an
  /// existing exchange with different flags closes the channel with 406 PRECONDITION_FAILED.
  public func exchangeDeclare(
    _ name: String, type: String = "topic", durable: Bool = true, autoDelete: Bool = false,
    internal isInternal: Bool = false, passive: Bool = false, arguments: FieldTable = [:]
  ) async throws {
    _ = try await call(
      .exchangeDeclare(
        .init(
          exchange: name, type: type, passive: passive, durable: durable, autoDelete: autoDelete, internal: isInternal,
          arguments: arguments)))
  }

  public func exchangeDelete(_ name: String, ifUnused: Bool = false) async throws {
    _ = try await call(.exchangeDelete(exchange: name, ifUnused: ifUnused, noWait: false))
  }

  // MARK: Queues

  @discardableResult
  public func queueDeclare(
    _ name: String = "", durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false,
    passive: Bool = false, arguments: FieldTable = [:]
  ) async throws -> QueueInfo {
    let reply = try await call(
      .queueDeclare(
        .init(
          queue: name, passive: passive, durable: durable, exclusive: exclusive, autoDelete: autoDelete,
          arguments: arguments)))
    guard case .queueDeclareOk(let queue, let messages, let consumers) = reply else { throw unexpected(reply) }
    return QueueInfo(name: queue, messageCount: messages, consumerCount: consumers)
  }

  public func queueBind(queue: String, exchange: String, routingKey: String, arguments: FieldTable = [:])
    async throws
  {
    _ = try await call(
      .queueBind(queue: queue, exchange: exchange, routingKey: routingKey, noWait: false, arguments: arguments))
  }

  public func queueUnbind(queue: String, exchange: String, routingKey: String, arguments: FieldTable = [:])
    async throws
  {
    _ = try await call(.queueUnbind(queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments))
  }

  /// Deletes a queue; returns how many messages it still held.
  @discardableResult
  public func queueDelete(_ name: String, ifUnused: Bool = false, ifEmpty: Bool = false) async throws -> UInt32 {
    let reply = try await call(.queueDelete(queue: name, ifUnused: ifUnused, ifEmpty: ifEmpty, noWait: false))
    guard case .queueDeleteOk(let count) = reply else { throw unexpected(reply) }
    return count
  }

  @discardableResult
  public func queuePurge(_ name: String) async throws -> UInt32 {
    let reply = try await call(.queuePurge(queue: name, noWait: false))
    guard case .queuePurgeOk(let count) = reply else { throw unexpected(reply) }
    return count
  }

  // MARK: Consuming

  /// At most `prefetchCount` unacknowledged deliveries on this channel's consumers (0 = unlimited).
  /// This is the consumer's flow control: the delivery stream's buffer never holds more than this.
  public func basicQos(prefetchCount: UInt16, prefetchSize: UInt32 = 0, global: Bool = false) async throws {
    _ = try await call(.basicQos(prefetchSize: prefetchSize, prefetchCount: prefetchCount, global: global))
  }

  /// Starts a consumer. Deliveries arrive in the returned sequence until the consumer is cancelled
  /// (the sequence ends), or the channel/connection closes or the server cancels the consumer (the
  /// sequence throws the `AMQPError`). With `noAck: false` (the default), every delivery must be acked,
  /// nacked or rejected; unacknowledged ones go back to the queue when the channel closes.
  public func basicConsume(
    queue: String, consumerTag: String? = nil, noAck: Bool = false, exclusive: Bool = false,
    arguments: FieldTable = [:]
  ) async throws -> AMQPDeliveries {
    let tag = consumerTag ?? "steward-\(id)-\(UInt64.random(in: 0...UInt64.max))"
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: AMQPDelivery.self)
    continuation.onTermination = { [self] termination in
      // The consumer stopped iterating (task cancelled): tell the broker, so it stops delivering.
      if case .cancelled = termination { Task { try? await self.basicCancel(tag) } }
    }
    let promise = eventLoop.makePromise(of: Method.self)
    let consume = Method.BasicConsume(
      queue: queue, consumerTag: tag, noAck: noAck, exclusive: exclusive, arguments: arguments)
    let (id, serial) = (self.id, self.serial)
    eventLoop.execute {
      self.handler.consume(consume, channel: id, serial: serial, continuation: continuation, promise: promise)
    }
    _ = try await promise.futureResult.get()
    return AMQPDeliveries(consumerTag: tag, stream: stream)
  }

  /// Stops a consumer; its delivery sequence ends normally once the broker confirms.
  public func basicCancel(_ consumerTag: String) async throws {
    _ = try await call(.basicCancel(consumerTag: consumerTag, noWait: false))
  }

  public func basicAck(deliveryTag: UInt64, multiple: Bool = false) async throws {
    try await send(.basicAck(deliveryTag: deliveryTag, multiple: multiple))
  }

  /// Negative acknowledgement; `requeue: false` drops (or dead-letters) the message.
  public func basicNack(deliveryTag: UInt64, multiple: Bool = false, requeue: Bool = true) async throws {
    try await send(.basicNack(deliveryTag: deliveryTag, multiple: multiple, requeue: requeue))
  }

  public func basicReject(deliveryTag: UInt64, requeue: Bool = true) async throws {
    try await send(.basicReject(deliveryTag: deliveryTag, requeue: requeue))
  }

  // MARK: Publishing

  /// Puts the channel in publisher-confirm mode: from now on `basicPublish` returns only once the
  /// broker has taken responsibility for the message (and throws `publishNacked` if it refused).
  public func confirmSelect() async throws {
    _ = try await call(.confirmSelect(noWait: false))
    let (id, serial) = (self.id, self.serial)
    try await eventLoop.submit { self.handler.enableConfirms(channel: id, serial: serial) }.get()
  }

  /// Publishes one message. Bodies larger than frame_max are split into several body frames. In confirm
  /// mode it returns once the broker confirmed; with `mandatory` it then throws `AMQPError.unroutable`
  /// when no queue took the message (without confirms, returns are only logged).
  public func basicPublish(
    _ body: ByteBuffer, exchange: String, routingKey: String, mandatory: Bool = false,
    properties: BasicProperties = BasicProperties()
  ) async throws {
    let promise = eventLoop.makePromise(of: Void.self)
    let (id, serial) = (self.id, self.serial)
    let method = Method.basicPublish(exchange: exchange, routingKey: routingKey, mandatory: mandatory, immediate: false)
    eventLoop.execute {
      self.handler.publish(method, properties: properties, body: body, channel: id, serial: serial, promise: promise)
    }
    try await promise.futureResult.get()
  }

  public func basicPublish(
    _ body: some Sequence<UInt8>, exchange: String, routingKey: String, mandatory: Bool = false,
    properties: BasicProperties = BasicProperties()
  ) async throws {
    try await basicPublish(
      ByteBuffer(bytes: body), exchange: exchange, routingKey: routingKey, mandatory: mandatory,
      properties: properties)
  }

  // MARK: Closing

  /// Closes the channel; its consumers' sequences end, unacknowledged deliveries are requeued.
  public func close() async throws {
    do {
      _ = try await call(.channelClose(.init(replyCode: 200, replyText: "bye", classID: 0, methodID: 0)))
    } catch AMQPError.closedByClient {
      return
    }
  }

  // MARK: Plumbing

  private var eventLoop: any EventLoop { connection.eventLoop }
  private var handler: ConnectionHandler { connection.handler.value }

  private func call(_ method: Method) async throws -> Method {
    let promise = eventLoop.makePromise(of: Method.self)
    let (id, serial) = (self.id, self.serial)
    eventLoop.execute { self.handler.call(method, channel: id, serial: serial, promise: promise) }
    return try await promise.futureResult.get()
  }

  private func send(_ method: Method) async throws {
    let promise = eventLoop.makePromise(of: Void.self)
    let (id, serial) = (self.id, self.serial)
    eventLoop.execute { self.handler.send(method, channel: id, serial: serial, promise: promise) }
    try await promise.futureResult.get()
  }

  private func unexpected(_ reply: Method) -> AMQPError {
    .unexpectedFrame("reply \(reply.id) does not match the request")
  }
}

/// A message delivered to a consumer. Acknowledge it on the channel it came from (the delivery tag
/// is only meaningful there); after a reconnect, acking an old delivery throws and the broker
/// redelivers the message instead.
public struct AMQPDelivery: Sendable {
  public let consumerTag: String
  public let deliveryTag: UInt64
  /// The broker delivered this message before (to a consumer that did not ack it).
  public let redelivered: Bool
  public let exchange: String
  public let routingKey: String
  public let properties: BasicProperties
  public let body: ByteBuffer
  public let channel: AMQPChannel

  public var bodyBytes: [UInt8] { Array(body.readableBytesView) }

  public func ack(multiple: Bool = false) async throws {
    try await channel.basicAck(deliveryTag: deliveryTag, multiple: multiple)
  }

  public func nack(multiple: Bool = false, requeue: Bool = true) async throws {
    try await channel.basicNack(deliveryTag: deliveryTag, multiple: multiple, requeue: requeue)
  }

  public func reject(requeue: Bool = true) async throws {
    try await channel.basicReject(deliveryTag: deliveryTag, requeue: requeue)
  }
}

/// The deliveries of one consumer, in order.
public struct AMQPDeliveries: AsyncSequence, Sendable {
  public typealias Element = AMQPDelivery
  public let consumerTag: String
  let stream: AsyncThrowingStream<AMQPDelivery, any Error>

  public func makeAsyncIterator() -> AsyncThrowingStream<AMQPDelivery, any Error>.AsyncIterator {
    stream.makeAsyncIterator()
  }
}
