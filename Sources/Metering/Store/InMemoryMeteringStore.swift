import Foundation
import Synchronization

/// The reference `MeteringStore`: everything in memory, transactions by copy-and-swap (a transaction works
/// on a copy and commits only if no other committed meanwhile, otherwise it runs again — the same retry
/// contract as a SERIALIZABLE SQL transaction). For unit tests and `--database none` dry runs; each write
/// copies the state, so it is not meant for large clouds.
public final class InMemoryMeteringStore: MeteringStore {
  private let state = Mutex<(version: Int, data: MeteringData)>((0, MeteringData()))

  public init() {}

  public func write<T: Sendable>(_ body: @Sendable (any MeteringWriter) async throws -> T) async throws -> T {
    while true {
      let (version, data) = state.withLock { ($0.version, $0.data) }
      let transaction = InMemoryTransaction(data)
      let result = try await body(transaction)
      let committed = state.withLock { s in
        guard s.version == version else { return false }
        s = (version + 1, transaction.data.withLock { $0 })
        return true
      }
      if committed { return result }
      try Task.checkCancellation()
    }
  }

  public func read<T: Sendable>(_ body: @Sendable (any MeteringReader) async throws -> T) async throws -> T {
    try await body(InMemoryTransaction(state.withLock { $0.data }))
  }
}

struct MeteringData: Sendable {
  var messages: [String: MessageRecord] = [:]
  var observations: [ResourceKey: [Observation]] = [:]
  var view: [ResourceKey: ViewEntry] = [:]
  var rows: [Int64: UsageInterval] = [:]
  var rowsByResource: [ResourceKey: [Int64]] = [:]
  var replaced: Set<Int64> = []
  var corrections: [LedgerCorrection] = []
  var deadLetters: [String: DeadLetter] = [:]
  var deadLetterOrder: [String] = []
  var unknown: [String: Int] = [:]
  var resyncs: [ResyncRecord] = []
  var stackListings = StackResourceListings()
  var lastEventTime: Date?
  var lastAppliedAt: Date?
  var nextRowID: Int64 = 1

  func effectiveRows(of key: ResourceKey) -> [UsageInterval] {
    (rowsByResource[key] ?? []).filter { !replaced.contains($0) }.compactMap { rows[$0] }
      .sorted { ($0.start, $0.id) < ($1.start, $1.id) }
  }
}

final class InMemoryTransaction: MeteringWriter {
  let data: Mutex<MeteringData>

  init(_ data: MeteringData) { self.data = Mutex(data) }

  func isRecorded(messageID: String) async throws -> Bool { data.withLock { $0.messages[messageID] != nil } }

  func history(of key: ResourceKey) async throws -> LedgerEngine.History {
    data.withLock { d in LedgerEngine.History(observations: d.observations[key] ?? [], rows: d.effectiveRows(of: key)) }
  }

  func viewEntry(_ key: ResourceKey) async throws -> ViewEntry? { data.withLock { $0.view[key] } }

  func viewEntries(kind: ResourceReference.Kind?, projectID: String?, includeDeleted: Bool) async throws
    -> [ViewEntry]
  {
    data.withLock { d in
      d.view.values.filter { e in
        (kind == nil || e.key.kind == kind) && (includeDeleted || e.isLive)
          && (projectID == nil || e.snapshot?.projectID == projectID)
      }.sorted { $0.key < $1.key }
    }
  }

  func openIntervals(kind: ResourceReference.Kind?) async throws -> [UsageInterval] {
    data.withLock { d in
      d.rows.values.filter { $0.end == nil && !d.replaced.contains($0.id) && (kind == nil || $0.key.kind == kind) }
        .sorted { ($0.key, $0.start) < ($1.key, $1.start) }
    }
  }

  func intervals(projectID: String?, kind: ResourceReference.Kind?, from: Date, to: Date) async throws
    -> [UsageInterval]
  {
    data.withLock { d in
      d.rows.values.filter { r in
        !d.replaced.contains(r.id) && (projectID == nil || r.projectID == projectID)
          && (kind == nil || r.key.kind == kind) && r.start < to && (r.end ?? .distantFuture) > from
      }.sorted { ($0.key, $0.start) < ($1.key, $1.start) }
    }
  }

  func allIntervals() async throws -> [UsageInterval] {
    data.withLock { $0.rows.values.sorted { $0.id < $1.id } }
  }

  func corrections() async throws -> [LedgerCorrection] { data.withLock { $0.corrections } }

  func deadLetters(limit: Int) async throws -> [DeadLetter] {
    data.withLock { d in d.deadLetterOrder.suffix(limit).compactMap { d.deadLetters[$0] } }
  }

  func stats() async throws -> MeteringStats {
    data.withLock { d in
      var s = MeteringStats()
      s.messagesApplied = d.messages.count
      s.unknownEvents = d.unknown
      s.deadLetters = d.deadLetters.count
      s.lastEventTime = d.lastEventTime
      s.lastAppliedAt = d.lastAppliedAt
      s.openIntervals = d.rows.values.filter { $0.end == nil && !d.replaced.contains($0.id) }.count
      s.corrections = d.corrections.count
      s.lastResync = d.resyncs.last
      return s
    }
  }

  func record(message: MessageRecord) async throws {
    data.withLock { d in
      d.messages[message.messageID] = message
      d.lastEventTime = max(d.lastEventTime ?? message.timestamp, message.timestamp)
      d.lastAppliedAt = message.appliedAt
    }
  }

  func write(_ effects: LedgerEngine.Effects) async throws {
    try data.withLock { d throws(MeteringStoreError) in
      let key = effects.key
      d.observations[key, default: []].append(effects.observation)
      d.observations[key]!.sort(by: Observation.precedes)
      if let view = effects.view { d.view[key] = view }
      for close in effects.closes {
        guard var row = d.rows[close.rowID], row.end == nil else {
          throw MeteringStoreError.appendOnlyViolation("row \(close.rowID) of \(key) is not open")
        }
        row.end = close.end
        row.closedBy = close.closedBy
        d.rows[close.rowID] = row
      }
      var correctionID: Int64?
      if !effects.replaced.isEmpty {
        let id = Int64(d.corrections.count + 1)
        d.corrections.append(
          LedgerCorrection(
            id: id, key: key, replaced: effects.replaced, sourceID: effects.observation.sourceID,
            reason: effects.correctionReason ?? "late observation"))
        d.replaced.formUnion(effects.replaced)
        correctionID = id
      }
      for draft in effects.newRows {
        let id = d.nextRowID
        d.nextRowID += 1
        d.rows[id] = UsageInterval(
          id: id, key: key, projectID: draft.projectID, spec: draft.spec, state: draft.state, start: draft.start,
          end: draft.end, openedBy: draft.openedBy, closedBy: draft.closedBy, correctionID: correctionID)
        d.rowsByResource[key, default: []].append(id)
      }
    }
  }

  func add(deadLetter: DeadLetter) async throws {
    data.withLock { d in
      if d.deadLetters[deadLetter.id] == nil { d.deadLetterOrder.append(deadLetter.id) }
      d.deadLetters[deadLetter.id] = d.deadLetters[deadLetter.id] ?? deadLetter
    }
  }

  func countUnknown(eventType: String, count: Int) async throws {
    data.withLock { $0.unknown[eventType, default: 0] += count }
  }

  func pruneMessages(appliedBefore date: Date) async throws -> Int {
    data.withLock { d in
      let old = d.messages.values.filter { $0.appliedAt < date }.map(\.messageID)
      for id in old { d.messages[id] = nil }
      return old.count
    }
  }

  func record(resync: ResyncRecord) async throws { data.withLock { $0.resyncs.append(resync) } }

  func stackResourceListings() async throws -> StackResourceListings { data.withLock { $0.stackListings } }

  func replaceStackResourceListings(_ listings: StackResourceListings) async throws {
    data.withLock { $0.stackListings = listings }
  }
}

public enum MeteringStoreError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A write would have edited closed ledger history: a bug in the caller, never silently done.
  case appendOnlyViolation(String)

  public var description: String {
    switch self {
    case .appendOnlyViolation(let what): return "append-only ledger violation: \(what)"
    }
  }
}
