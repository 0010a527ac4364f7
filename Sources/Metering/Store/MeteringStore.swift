import Foundation

/// Where metering keeps its view, usage ledger, processed message ids, dead letters and resync history.
/// The engine, the consumer and the reconciler run their logic inside `write` transactions and need only
/// the primitive operations below, so a SQL store (Storage module: SQLite/PostgreSQL) plugs in by
/// implementing these two protocols; `InMemoryMeteringStore` is the reference used by unit tests.
///
/// Contract for implementations:
/// - `write` runs `body` atomically: everything or nothing. It may run `body` again after a serialization
///   conflict, so `body` has no side effects outside the store.
/// - `record(message:)` and the effects of the same notification are in the same transaction: a message id
///   is recorded if and only if its effects are.
/// - Ledger rows are append-only (see `UsageInterval`): `write(_:)` inserts rows and corrections and sets
///   `end` only on rows that are still open.
public protocol MeteringStore: Sendable {
  func write<T: Sendable>(_ body: @Sendable (any MeteringWriter) async throws -> T) async throws -> T
  func read<T: Sendable>(_ body: @Sendable (any MeteringReader) async throws -> T) async throws -> T
}

public protocol MeteringReader: Sendable {
  func isRecorded(messageID: String) async throws -> Bool
  /// Which of these message ids were already applied (one query for a whole batch on SQL stores).
  func recordedMessageIDs(_ ids: [String]) async throws -> Set<String>
  /// All observations of the resource and its effective ledger rows (ordered by start).
  func history(of key: ResourceKey) async throws -> LedgerEngine.History
  func viewEntry(_ key: ResourceKey) async throws -> ViewEntry?
  /// View entries, optionally of one kind and one project; deleted ones only when asked.
  func viewEntries(kind: ResourceReference.Kind?, projectID: String?, includeDeleted: Bool) async throws -> [ViewEntry]
  /// Effective rows still open.
  func openIntervals(kind: ResourceReference.Kind?) async throws -> [UsageInterval]
  /// Effective rows that overlap [from, to), optionally of one project and kind, ordered by resource and start.
  func intervals(projectID: String?, kind: ResourceReference.Kind?, from: Date, to: Date) async throws
    -> [UsageInterval]
  /// Every row including replaced ones, and the corrections (for audits and tests).
  func allIntervals() async throws -> [UsageInterval]
  func corrections() async throws -> [LedgerCorrection]
  func deadLetters(limit: Int) async throws -> [DeadLetter]
  func stats() async throws -> MeteringStats
  /// What the last resync learned from Heat's per-stack resource listings (`CloudObserver`).
  func stackResourceListings() async throws -> StackResourceListings
}

public protocol MeteringWriter: MeteringReader {
  func record(message: MessageRecord) async throws
  func record(messages: [MessageRecord]) async throws
  /// Writes an observation and its effects (view upsert, closes, correction, new rows).
  func write(_ effects: LedgerEngine.Effects) async throws
  /// Keeps one copy per distinct body (a redelivered bad message is not stored twice).
  func add(deadLetter: DeadLetter) async throws
  func countUnknown(eventType: String, count: Int) async throws
  func record(resync: ResyncRecord) async throws
  /// Replaces the stack resource listings (stacks no longer listed are forgotten).
  func replaceStackResourceListings(_ listings: StackResourceListings) async throws
  /// Applies observations in order, with the same result as `apply(_:)` on each in turn (the default).
  /// SQL stores answer the common case — an observation newer than everything known about its resource —
  /// from the resource's head (`LedgerEngine.applyNewest`) and write a batch's effects together.
  func apply(_ observations: [Observation]) async throws -> [LedgerEngine.Effects]
  /// Forgets processed message ids applied before `date` (retention, see `MessageRetention`); returns how many.
  func pruneMessages(appliedBefore date: Date) async throws -> Int
}

extension MeteringReader {
  public func recordedMessageIDs(_ ids: [String]) async throws -> Set<String> {
    var recorded = Set<String>()
    for id in ids where try await isRecorded(messageID: id) { recorded.insert(id) }
    return recorded
  }
}

extension MeteringWriter {
  public func record(messages: [MessageRecord]) async throws {
    for message in messages { try await record(message: message) }
  }

  public func countUnknown(eventType: String) async throws { try await countUnknown(eventType: eventType, count: 1) }

  public func apply(_ observations: [Observation]) async throws -> [LedgerEngine.Effects] {
    var effects: [LedgerEngine.Effects] = []
    effects.reserveCapacity(observations.count)
    for observation in observations { effects.append(try await apply(observation)) }
    return effects
  }

  /// Applies one observation through `LedgerEngine` (no-op if its source was already applied to this resource).
  @discardableResult
  public func apply(_ observation: Observation) async throws -> LedgerEngine.Effects {
    let effects = LedgerEngine.apply(observation, to: try await history(of: observation.key))
    if effects.isNew { try await write(effects) }
    return effects
  }
}

/// A notification whose effects were applied (or that was counted as unknown).
public struct MessageRecord: Sendable, Hashable {
  public var messageID: String
  public var eventType: String
  public var timestamp: Date
  public var appliedAt: Date

  public init(messageID: String, eventType: String, timestamp: Date, appliedAt: Date) {
    self.messageID = messageID
    self.eventType = eventType
    self.timestamp = timestamp
    self.appliedAt = appliedAt
  }
}

/// A message that could not be parsed or applied, kept with the error so an operator can look at it and
/// replay it; it was acked so it never blocks the queue.
public struct DeadLetter: Sendable, Hashable {
  /// FNV-1a of the body: the same bad message redelivered is one dead letter.
  public var id: String
  public var body: [UInt8]
  public var error: String
  public var receivedAt: Date
  /// The routing details, when known (exchange/routing key).
  public var origin: String?

  public init(body: [UInt8], error: String, receivedAt: Date, origin: String? = nil) {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in body {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    self.id = String(hash, radix: 16)
    self.body = Self.maskingSecrets(body)
    self.error = error
    self.receivedAt = receivedAt
    self.origin = origin
  }
}

extension DeadLetter {
  /// oslo.messaging envelopes carry the caller's token (`_context_auth_token`, and Nova's scheduler payloads
  /// embed it again in serialized contexts), so a kept body must not: the value of every key that ends in
  /// `token`, `password` or `secret` becomes `***`, quoted plainly or escaped inside `oslo.message`. Bodies
  /// without such a key are kept byte for byte.
  static func maskingSecrets(_ body: [UInt8]) -> [UInt8] {
    let text = String(decoding: body, as: UTF8.self)
    let secret =
      #/(\\*"[A-Za-z0-9_.\-]*(?:token|password|secret)\\*"\s*:\s*\\*")(?:[^"\\]|\\[^"])*(\\*")/#
    guard text.contains(secret) else { return body }
    return Array(text.replacing(secret) { match in match.output.1 + "***" + match.output.2 }.utf8)
  }
}

/// One resync: when, what it found and repaired.
public struct ResyncRecord: Sendable, Hashable {
  public var id: String
  public var observedAt: Date
  public var finishedAt: Date
  public var drift: DriftReport
}

public struct MeteringStats: Sendable, Hashable {
  public var messagesApplied = 0
  public var unknownEvents: [String: Int] = [:]
  public var deadLetters = 0
  /// The newest event timestamp applied, and when the last message was applied.
  public var lastEventTime: Date?
  public var lastAppliedAt: Date?
  public var openIntervals = 0
  public var corrections = 0
  public var lastResync: ResyncRecord?

  public init() {}
}
