import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A consumer that survives broker restarts and network failures: it connects (trying each endpoint),
/// declares its topology, sets the prefetch, consumes, and hands each connection's deliveries to the
/// caller as an `AMQPConsumer.Session`. When the connection dies it reconnects with exponential backoff
/// and jitter and starts a new session; deliveries not acked in the old session are redelivered by the
/// broker (with `redelivered` set), so handlers must be idempotent.
///
/// Metering's use, acking only after the database transaction committed, in batches:
///
/// ```swift
/// let consumer = AMQPConsumer(
///   configuration: try AMQPConfiguration(url: transportURL),
///   topology: .notifications(queue: "steward.notifications", prefetch: 500))
/// try await consumer.run { session in
///   var batch: [AMQPDelivery] = []
///   for try await delivery in session.deliveries {
///     batch.append(delivery)
///     guard batch.count == 200 else { continue }  // (plus a timer in real code)
///     try await store.apply(batch.map { try? OpenStackNotification.parse($0.body.readableBytesView) })
///     try await batch.last!.ack(multiple: true)  // after commit; acks the whole batch
///     batch.removeAll()
///   }
/// }
/// ```
public final class AMQPConsumer: Sendable {
  public struct Session: Sendable {
    public let connection: AMQPConnection
    public let channel: AMQPChannel
    public let deliveries: AMQPDeliveries
    /// The queue as declared at the start of this session (message count = backlog then).
    public let queue: AMQPChannel.QueueInfo
    /// 1 for the first session, +1 per reconnect.
    public let number: Int
  }

  public enum State: Sendable, Hashable {
    case connecting
    case consuming(endpoint: String)
    case waiting(retryIn: Duration, lastError: String)
    case stopped
  }

  public struct Status: Sendable, Hashable {
    public var state: State = .connecting
    /// Sessions that got as far as consuming (the first is 1; each reconnect adds one).
    public var sessions = 0
    public var lastError: String?
  }

  public let configuration: AMQPConfiguration
  public let topology: AMQPTopology
  public let backoff: Backoff
  private let eventLoopGroup: any EventLoopGroup
  private let logger: Logger
  private let statusBox = Mutex(Status())
  /// Set by `stop()`; the consuming channel and tag of the current session, so `stop()` can cancel it.
  private let control = Mutex<(stopping: Bool, current: (channel: AMQPChannel, tag: String)?)>((false, nil))

  public init(
    configuration: AMQPConfiguration, topology: AMQPTopology, backoff: Backoff = Backoff(),
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger = Logger(label: "steward.amqp.consumer")
  ) {
    self.configuration = configuration
    self.topology = topology
    self.backoff = backoff
    self.eventLoopGroup = eventLoopGroup
    self.logger = logger
  }

  public var status: Status { statusBox.withLock { $0 } }

  /// Graceful stop, unlike cancelling the task: the broker is asked to stop delivering (basic.cancel), the
  /// deliveries already received still reach `body`, which ends when the delivery sequence does, so a
  /// caller that commits and acks what it got finishes that work; then `run` closes the connection and
  /// returns. While waiting to reconnect, `run` returns at once.
  public func stop() {
    let current = control.withLock { c in
      c.stopping = true
      return c.current
    }
    if let current { Task { try? await current.channel.basicCancel(current.tag) } }
  }

  public var isStopping: Bool { control.withLock { $0.stopping } }

  /// Runs until the calling task is cancelled (then closes the connection and returns), until `body`
  /// returns normally (the caller is done), or until a non-AMQP error escapes `body` or the broker
  /// refuses the credentials (rethrown). `body` is called once per connection; AMQP errors thrown from
  /// it (the delivery sequence failing, an ack on a dead channel) lead to a reconnect.
  public func run(_ body: @Sendable (Session) async throws -> Void) async throws {
    var attempt = 0
    var endpointIndex = 0
    defer { statusBox.withLock { $0.state = .stopped } }
    while !Task.isCancelled && !isStopping {
      statusBox.withLock { $0.state = .connecting }
      var connection: AMQPConnection?
      do {
        let conn = try await AMQPConnection.connect(
          configuration, startIndex: endpointIndex, eventLoopGroup: eventLoopGroup, logger: logger)
        connection = conn
        let number = statusBox.withLock { $0.sessions + 1 }
        let session = try await setUp(conn, number: number)
        // Only now is the queue bound and the consumer registered: what is published from here on arrives.
        statusBox.withLock {
          $0.sessions = number
          $0.state = .consuming(endpoint: "\(conn.endpoint.host):\(conn.endpoint.port)")
        }
        attempt = 0
        logger.info(
          "AMQP consumer started",
          metadata: [
            "queue": "\(session.queue.name)", "backlog": "\(session.queue.messageCount)", "session": "\(number)",
          ])
        let stopRequested = control.withLock { c in
          c.current = (session.channel, session.deliveries.consumerTag)
          return c.stopping
        }
        if stopRequested { Task { try? await session.channel.basicCancel(session.deliveries.consumerTag) } }
        defer { control.withLock { $0.current = nil } }
        try await withTaskCancellationHandler {
          try await body(session)
        } onCancel: {
          // Ends the delivery sequence so `body` returns; close() below then completes the handshake.
          Task { try? await session.channel.basicCancel(session.deliveries.consumerTag) }
        }
        try? await conn.close()
        return
      } catch {
        if let connection { try? await connection.close() }
        if Task.isCancelled || error is CancellationError || isStopping { return }
        guard let amqpError = error as? AMQPError else { throw error }
        guard amqpError.isTransient else {
          statusBox.withLock { $0.lastError = "\(amqpError)" }
          throw amqpError
        }
        let delay = backoff.delay(attempt: attempt)
        attempt += 1
        endpointIndex += 1
        statusBox.withLock {
          $0.lastError = "\(amqpError)"
          $0.state = .waiting(retryIn: delay, lastError: "\(amqpError)")
        }
        logger.warning(
          "AMQP consumer lost its connection, reconnecting",
          metadata: ["error": "\(amqpError)", "retry_in": "\(delay)", "attempt": "\(attempt)"])
        // In slices, so stop() does not wait out a long backoff.
        let wakeUp = ContinuousClock.now + delay
        while !isStopping, ContinuousClock.now < wakeUp {
          do { try await Task.sleep(for: min(.milliseconds(100), wakeUp - ContinuousClock.now)) } catch { return }
        }
      }
    }
  }

  /// Convenience: calls `handler` for each delivery in order, across reconnects. The handler acks.
  public func forEachDelivery(_ handler: @Sendable @escaping (AMQPDelivery) async throws -> Void) async throws {
    try await run { session in
      for try await delivery in session.deliveries { try await handler(delivery) }
    }
  }

  private func setUp(_ connection: AMQPConnection, number: Int) async throws -> Session {
    var channel = try await connection.openChannel()
    for exchange in topology.exchanges {
      do {
        try await channel.exchangeDeclare(exchange.name, type: exchange.type, durable: exchange.durable)
      } catch AMQPError.channelClosed(406, let text, _, _) {
        // It exists with other flags (a service declared it durable): fine, we only bind to it.
        logger.info(
          "AMQP exchange exists with other flags", metadata: ["exchange": "\(exchange.name)", "reply": "\(text)"])
        channel = try await connection.openChannel()
      }
    }
    let queue = try await channel.queueDeclare(
      topology.queue.name, durable: topology.queue.durable, arguments: topology.queue.arguments)
    for binding in topology.bindings {
      try await channel.queueBind(queue: queue.name, exchange: binding.exchange, routingKey: binding.routingKey)
    }
    try await channel.basicQos(prefetchCount: topology.prefetch)
    let deliveries = try await channel.basicConsume(queue: queue.name)
    return Session(connection: connection, channel: channel, deliveries: deliveries, queue: queue, number: number)
  }
}
