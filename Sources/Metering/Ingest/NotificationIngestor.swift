import Foundation

/// Applies a batch of AMQP message bodies in ONE store transaction: parse, skip message ids already
/// applied (and repeats inside the batch), apply each notification's observations, record its message id,
/// count unknown event types, keep malformed bodies as dead letters. When it returns the batch is durable
/// and the caller acks it; when it throws nothing was written and nothing must be acked.
public struct NotificationIngestor: Sendable {
  public struct Message: Sendable {
    public var body: [UInt8]
    /// Exchange and routing key, kept with a dead letter.
    public var origin: String?

    public init(body: [UInt8], origin: String? = nil) {
      self.body = body
      self.origin = origin
    }
  }

  public struct Summary: Sendable, Hashable {
    public var applied = 0
    public var duplicates = 0
    public var unknown = 0
    public var deadLettered = 0
    public var observations = 0
    /// Observations that arrived after newer history and replaced ledger rows.
    public var corrections = 0
    /// Processed message ids forgotten by retention in this batch.
    public var prunedMessageIDs = 0

    public init() {}

    public static func + (a: Summary, b: Summary) -> Summary {
      var s = a
      s.applied += b.applied
      s.duplicates += b.duplicates
      s.unknown += b.unknown
      s.deadLettered += b.deadLettered
      s.observations += b.observations
      s.corrections += b.corrections
      s.prunedMessageIDs += b.prunedMessageIDs
      return s
    }
  }

  public let store: any MeteringStore
  public let clock: @Sendable () -> Date
  public let retention: MessageRetention

  public init(
    store: any MeteringStore, retention: MessageRetention = MessageRetention(),
    clock: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.store = store
    self.retention = retention
    self.clock = clock
  }

  /// A batch parsed and ready to apply. Parsing is pure, so callers parse the next batch while the
  /// previous one commits (`NotificationConsumerLoop`, `steward metering replay`), in order.
  public struct ParsedBatch: Sendable {
    public let messages: [Message]
    let results: [Result<OpenStackNotification, NotificationError>]
  }

  /// Parsing is most of a batch's cost: a large batch is parsed in two halves at once (two cores).
  public static func parse(_ messages: [Message]) async -> ParsedBatch {
    guard messages.count >= 64 else { return ParsedBatch(messages: messages, results: parse(messages[...])) }
    let middle = messages.count / 2
    async let first = parse(messages[..<middle])
    let second = parse(messages[middle...])
    return ParsedBatch(messages: messages, results: await first + second)
  }

  static func parse(_ messages: ArraySlice<Message>) -> [Result<OpenStackNotification, NotificationError>] {
    messages.map { m in Result { () throws(NotificationError) in try OpenStackNotification.parse(m.body) } }
  }

  public func ingest(_ messages: [Message]) async throws -> Summary {
    try await ingest(await Self.parse(messages))
  }

  /// Applies a parsed batch in one transaction (parsing is outside it, so a retried transaction does not
  /// parse again).
  public func ingest(_ batch: ParsedBatch) async throws -> Summary {
    let messages = batch.messages
    let parsed = batch.results
    let now = clock()
    let retention = retention
    return try await store.write { w in
      var summary = Summary()
      let ids = parsed.compactMap { try? $0.get().messageID }
      var seen = try await w.recordedMessageIDs(ids)
      var observations: [Observation] = []
      var records: [MessageRecord] = []
      var unknown: [String: Int] = [:]
      for (message, result) in zip(messages, parsed) {
        let n: OpenStackNotification
        switch result {
        case .failure(let error):
          try await w.add(
            deadLetter: DeadLetter(
              body: message.body, error: error.description, receivedAt: now, origin: message.origin))
          summary.deadLettered += 1
          continue
        case .success(let notification): n = notification
        }
        guard seen.insert(n.messageID).inserted else {
          summary.duplicates += 1
          continue
        }
        if case .unknown = n.event {
          unknown[n.eventType, default: 0] += 1
          summary.unknown += 1
        } else {
          observations += n.observations
          summary.applied += 1
        }
        records.append(
          MessageRecord(messageID: n.messageID, eventType: n.eventType, timestamp: n.timestamp, appliedAt: now))
      }
      for (eventType, count) in unknown.sorted(by: { $0.key < $1.key }) {
        try await w.countUnknown(eventType: eventType, count: count)
      }
      for effects in try await w.apply(observations) {
        summary.observations += 1
        if !effects.replaced.isEmpty { summary.corrections += 1 }
      }
      try await w.record(messages: records)
      if let cutoff = retention.due(now: now) {
        summary.prunedMessageIDs = try await w.pruneMessages(appliedBefore: cutoff)
      }
      return summary
    }
  }
}
