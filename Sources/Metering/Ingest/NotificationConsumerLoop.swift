import AMQP
import Foundation

/// A delivered message the loop can ack: `AMQPDelivery`, or a test double.
public protocol AcknowledgeableMessage: Sendable {
  var bodyBytes: [UInt8] { get }
  /// Exchange and routing key, kept with dead letters.
  var origin: String? { get }
  /// Acks this message and, with `multiple`, every earlier unacked one on the same channel.
  func ack(multiple: Bool) async throws
}

extension AMQPDelivery: AcknowledgeableMessage {
  public var origin: String? { "\(exchange)/\(routingKey)" }
}

/// Deliveries → batches → one store transaction per batch → one `ack(multiple:)` after it committed.
/// A batch is flushed when it reaches `maxBatch` messages or when `maxDelay` passed with messages waiting,
/// so a quiet queue does not hold acks back. If the store fails, nothing of the batch is acked and the
/// error ends the loop: the broker redelivers, and deduplication by message_id makes that harmless. If the
/// delivery sequence fails (connection lost), what was received is still committed (not acked: the
/// channel is gone) and the error is rethrown so the consumer reconnects.
public struct NotificationConsumerLoop: Sendable {
  public let ingestor: NotificationIngestor
  public let maxBatch: Int
  public let maxDelay: Duration
  /// Called after each committed batch (progress, metrics).
  public let onBatch: @Sendable (NotificationIngestor.Summary) -> Void

  public init(
    ingestor: NotificationIngestor, maxBatch: Int = 256, maxDelay: Duration = .milliseconds(200),
    onBatch: @escaping @Sendable (NotificationIngestor.Summary) -> Void = { _ in }
  ) {
    precondition(maxBatch > 0)
    self.ingestor = ingestor
    self.maxBatch = maxBatch
    self.maxDelay = maxDelay
    self.onBatch = onBatch
  }

  private enum Event<Message: Sendable>: Sendable {
    case message(Message)
    case tick
    case finished((any Error)?)
  }

  /// Runs until `deliveries` ends (returns) or fails (rethrows), or the store fails.
  public func process<S: AsyncSequence & Sendable>(_ deliveries: S) async throws
  where S.Element: AcknowledgeableMessage {
    typealias M = S.Element
    let (events, continuation) = AsyncStream<Event<M>>.makeStream()
    let delay = maxDelay
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        do {
          for try await delivery in deliveries { continuation.yield(.message(delivery)) }
          continuation.yield(.finished(nil))
        } catch {
          continuation.yield(.finished(error))
        }
      }
      group.addTask {
        while !Task.isCancelled {
          try? await Task.sleep(for: delay)
          continuation.yield(.tick)
        }
      }
      defer { group.cancelAll() }
      var batch: [M] = []
      var lastTick = ContinuousClock.now
      // At most one batch commits while the next one is parsed (and the one after it gathered): batches
      // still commit, and are acked, one after another in delivery order.
      var committing: Task<Void, any Error>?
      func commit(ack: Bool) async throws {
        guard let last = batch.last else { return }
        let messages = batch.map { NotificationIngestor.Message(body: $0.bodyBytes, origin: $0.origin) }
        batch.removeAll(keepingCapacity: true)
        let parsing = Task { await NotificationIngestor.parse(messages) }
        try await finishCommitting()
        let ingestor = ingestor
        let onBatch = onBatch
        committing = Task {
          let summary = try await ingestor.ingest(await parsing.value)
          if ack { try await last.ack(multiple: true) }
          onBatch(summary)
        }
      }
      func finishCommitting() async throws {
        guard let task = committing else { return }
        committing = nil
        try await task.value
      }
      loop: for await event in events {
        switch event {
        case .message(let m):
          if batch.isEmpty { lastTick = .now }
          batch.append(m)
          if batch.count >= maxBatch { try await commit(ack: true) }
        case .tick:
          if ContinuousClock.now - lastTick >= delay { try await commit(ack: true) }
        case .finished(nil):
          try await commit(ack: true)
          break loop
        case .finished(let error?):
          try await commit(ack: false)
          try await finishCommitting()
          throw error
        }
      }
      try await finishCommitting()
    }
  }
}

/// The long-running consumer: Steward's own queue (never `notifications.info` itself), reconnecting with
/// backoff, batches committed before they are acked.
public struct MeteringConsumer: Sendable {
  public let consumer: AMQPConsumer
  public let loop: NotificationConsumerLoop
  /// Told the queue's backlog (messages ready, not yet delivered: the broker's count) when a session starts
  /// and every `backlogInterval` while it lasts; nil asks nothing.
  public let onBacklog: (@Sendable (UInt32) -> Void)?
  public let backlogInterval: Duration

  public init(
    consumer: AMQPConsumer, loop: NotificationConsumerLoop, backlogInterval: Duration = .seconds(15),
    onBacklog: (@Sendable (UInt32) -> Void)? = nil
  ) {
    self.consumer = consumer
    self.loop = loop
    self.backlogInterval = backlogInterval
    self.onBacklog = onBacklog
  }

  /// Runs until the task is cancelled; AMQP failures reconnect, a store failure is rethrown.
  public func run() async throws {
    try await consumer.run { session in
      guard let onBacklog else { return try await loop.process(session.deliveries) }
      onBacklog(session.queue.messageCount)
      let poller = Task { await Self.pollBacklog(session, every: backlogInterval, onBacklog) }
      defer { poller.cancel() }
      try await loop.process(session.deliveries)
    }
  }

  /// A passive queue.declare on a channel of its own (the consuming channel stays busy with deliveries); ends
  /// quietly with the session, whose own failure is what reconnects.
  static func pollBacklog(
    _ session: AMQPConsumer.Session, every interval: Duration, _ report: @Sendable (UInt32) -> Void
  ) async {
    guard let channel = try? await session.connection.openChannel() else { return }
    defer { Task { try? await channel.close() } }
    while !Task.isCancelled {
      do {
        try await Task.sleep(for: interval)
        report(try await channel.queueDeclare(session.queue.name, passive: true).messageCount)
      } catch {
        return
      }
    }
  }
}
