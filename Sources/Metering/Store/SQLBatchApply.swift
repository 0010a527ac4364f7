import Foundation
import Storage

/// The consumer's hot path on SQL stores: a batch of observations applied with a handful of statements per
/// batch instead of several per observation, and a cost per observation that does not depend on how long
/// a resource's history is or how many resources the view holds (every lookup is an index probe).
///
/// - One prefetch per resource kind in the batch reads the heads (view entry, open rows) of the batch's
///   resources and which of the batch's (resource, source) pairs were already applied.
/// - An observation newer than everything known about its resource (nearly all of them) is answered by
///   `LedgerEngine.applyNewest` from the head; its writes are buffered and the head updated in memory, so
///   the next observation of the same resource in the batch sees it. A row opened and closed inside the
///   batch is inserted closed (it was never visible outside the transaction).
/// - Anything else (a late or same-instant event) flushes the buffer and takes the full-history path
///   (`apply(_:)`); the heads it made stale are read again.
/// - The buffer is written at the end with one prepared statement per table (`execute(_:each:)`).
///
/// All of it happens inside the caller's write transaction, so the database stays the only truth.
extension SQLMeteringTransaction {
  func apply(_ observations: [Observation]) async throws -> [LedgerEngine.Effects] {
    var buffer = WriteBuffer()
    var heads: [ResourceKey: LedgerEngine.Head] = [:]
    var applied = try await appliedSources(of: observations)
    var results: [LedgerEngine.Effects] = []
    results.reserveCapacity(observations.count)
    for (index, observation) in observations.enumerated() {
      let key = observation.key
      let source = AppliedSource(key: key, sourceID: observation.sourceID)
      if applied.contains(source) {
        results.append(
          LedgerEngine.Effects(
            key: key, observation: observation, isNew: false, view: nil, closes: [], replaced: [],
            correctionReason: nil, newRows: []))
        continue
      }
      if heads[key] == nil {
        let rest = observations[index...].map(\.key).filter { heads[$0] == nil }
        heads.merge(try await self.heads(of: rest)) { _, new in new }
      }
      if let effects = LedgerEngine.applyNewest(observation, head: heads[key] ?? .empty) {
        heads[key] = buffer.add(effects, head: heads[key] ?? .empty)
        applied.insert(source)
        results.append(effects)
        continue
      }
      // Late or same-instant: the whole history decides; buffered writes go first so it sees them.
      try await flush(&buffer)
      // Rows the flush inserted now have ids the heads do not know, and this resource changes below.
      heads = heads.filter { $0.key != key && !$0.value.open.contains { $0.id < 0 } }
      results.append(try await apply(observation))
      applied.insert(source)
    }
    try await flush(&buffer)
    return results
  }

  func recordedMessageIDs(_ ids: [String]) async throws -> Set<String> {
    var recorded = Set<String>()
    for chunk in Array(Set(ids)).chunked(Self.prefetchChunk) {
      for row in try await db.query(
        "SELECT message_id FROM metering_messages WHERE message_id IN (\(Self.placeholders(chunk.count)))",
        chunk.map { .text($0) })
      {
        recorded.insert(try row.string("message_id"))
      }
    }
    return recorded
  }

  struct AppliedSource: Hashable {
    var key: ResourceKey
    var sourceID: String
  }

  /// Ids per statement in the prefetch queries (well below both databases' bound-parameter limits).
  static let prefetchChunk = 400

  /// Which (resource, source) pairs of these observations are already recorded: one primary-key probe each.
  private func appliedSources(of observations: [Observation]) async throws -> Set<AppliedSource> {
    var result = Set<AppliedSource>()
    let pairs = Array(Set(observations.map { AppliedSource(key: $0.key, sourceID: $0.sourceID) }))
    for chunk in pairs.chunked(Self.prefetchChunk / 3) {
      let rows = try await db.query(
        // A join, not `(a, b, c) IN (VALUES …)`: SQLite scans the whole table for the latter.
        "WITH wanted (kind, resource_id, source_id) AS (VALUES "
          + Array(repeating: "(?, ?, ?)", count: chunk.count).joined(separator: ", ")
          + ") SELECT o.kind, o.resource_id, o.source_id FROM wanted w JOIN metering_observations o "
          + "ON o.kind = w.kind AND o.resource_id = w.resource_id AND o.source_id = w.source_id",
        chunk.flatMap { p -> [SQLValue] in [.text(p.key.kind.rawValue), .text(p.key.id), .text(p.sourceID)] })
      for row in rows {
        result.insert(
          AppliedSource(
            key: ResourceKey(try kind(row), try row.string("resource_id")), sourceID: try row.string("source_id")))
      }
    }
    return result
  }

  /// The heads of these resources (an empty head for a resource never seen).
  private func heads(of keys: [ResourceKey]) async throws -> [ResourceKey: LedgerEngine.Head] {
    var heads: [ResourceKey: LedgerEngine.Head] = [:]
    for key in keys { heads[key] = .empty }
    for (kind, group) in Dictionary(grouping: Set(keys), by: \.kind) {
      for chunk in group.map(\.id).chunked(Self.prefetchChunk) {
        let bindings = [SQLValue.text(kind.rawValue)] + chunk.map { .text($0) }
        let list = Self.placeholders(chunk.count)
        for row in try await db.query(
          "SELECT * FROM metering_view WHERE kind = ? AND resource_id IN (\(list))", bindings)
        {
          let entry = try viewEntry(row)
          heads[entry.key]?.view = entry
        }
        guard ResourceKey(kind, "").isMetered else { continue }
        for row in try await db.query(
          "SELECT \(Self.intervalColumns) FROM metering_intervals i WHERE i.kind = ? AND i.resource_id IN (\(list)) "
            + "AND i.end_at IS NULL AND \(Self.notReplaced)", bindings)
        {
          let open = try interval(row)
          heads[open.key]?.open.append(open)
        }
      }
    }
    return heads
  }

  static func placeholders(_ count: Int) -> String {
    String(repeating: "?, ", count: max(count - 1, 0)) + (count > 0 ? "?" : "")
  }

  /// Writes the buffered effects, one prepared statement per table.
  private func flush(_ buffer: inout WriteBuffer) async throws {
    defer { buffer = WriteBuffer() }
    guard !buffer.isEmpty else { return }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // A view entry usually holds the snapshot its newest observation brought: encode each one once.
    var encoded: [ResourceSnapshot: SQLValue] = [:]
    func json(_ snapshot: ResourceSnapshot?) throws -> SQLValue {
      guard let snapshot else { return .null }
      if let value = encoded[snapshot] { return value }
      let value = SQLValue.text(String(decoding: try encoder.encode(snapshot), as: UTF8.self))
      encoded[snapshot] = value
      return value
    }
    try await db.execute(
      "INSERT INTO metering_observations (kind, resource_id, source_id, time, snapshot) VALUES (?, ?, ?, ?, ?) "
        + "ON CONFLICT DO NOTHING",
      each: try buffer.observations.map { o in
        [.text(o.key.kind.rawValue), .text(o.key.id), .text(o.sourceID), .date(o.time), try json(o.snapshot)]
      })
    try await db.execute(
      Self.upsertView,
      each: try buffer.viewOrder.compactMap { buffer.views[$0] }.map { v in
        [
          .text(v.key.kind.rawValue), .text(v.key.id), .text(v.snapshot?.projectID), try json(v.snapshot),
          .date(v.firstObserved), .date(v.lastObserved), .text(v.lastSourceID), .date(v.deletedAt),
        ]
      })
    let closed = try await close(buffer.closes)
    guard closed == buffer.closes.count else {
      throw MeteringStoreError.appendOnlyViolation(
        "\(buffer.closes.count - closed) of rows \(buffer.closes.map(\.rowID)) are not open")
    }
    try await db.execute(
      Self.insertInterval,
      each: buffer.rows.map { Self.bindings($0, correctionID: nil) })
  }

  /// Ends open rows. PostgreSQL gets one `UPDATE … FROM (VALUES …)` per thousand rows (a round trip per row
  /// is what costs there); SQLite runs its prepared statement once per row.
  private func close(_ closes: [LedgerEngine.Close]) async throws -> Int {
    guard db.dialect == .postgres, closes.count > 1 else {
      return try await db.execute(
        "UPDATE metering_intervals SET end_at = ?, closed_by = ? WHERE id = ? AND end_at IS NULL",
        each: closes.map { [.date($0.end), .text($0.closedBy), .integer($0.rowID)] })
    }
    var changed = 0
    for chunk in closes.chunked(1000) {
      changed += try await db.execute(
        "UPDATE metering_intervals AS i SET end_at = v.end_at, closed_by = v.closed_by FROM (VALUES "
          + Array(repeating: "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT))", count: chunk.count)
          .joined(separator: ", ") + ") AS v (id, end_at, closed_by) WHERE i.id = v.id AND i.end_at IS NULL",
        chunk.flatMap { c -> [SQLValue] in [.integer(c.rowID), .date(c.end), .text(c.closedBy)] })
    }
    return changed
  }

  static let upsertView = """
    INSERT INTO metering_view (kind, resource_id, project_id, snapshot, first_observed, last_observed,
      last_source_id, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (kind, resource_id) DO UPDATE SET project_id = excluded.project_id,
      snapshot = excluded.snapshot, first_observed = excluded.first_observed,
      last_observed = excluded.last_observed, last_source_id = excluded.last_source_id,
      deleted_at = excluded.deleted_at
    """

  static let insertInterval = """
    INSERT INTO metering_intervals (kind, resource_id, project_id, state, flavor, vcpus, memory_mb, disk_gb,
      size_bytes, start_at, end_at, opened_by, closed_by, correction_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """

  /// The values of `insertInterval` for one row.
  static func bindings(_ draft: IntervalDraft, correctionID: Int64?) -> [SQLValue] {
    [
      .text(draft.key.kind.rawValue), .text(draft.key.id), .text(draft.projectID), .text(draft.state),
      .text(draft.spec.flavor), draft.spec.vcpus.map { .integer($0) } ?? .null,
      draft.spec.memoryMB.map { .integer($0) } ?? .null, draft.spec.diskGB.map { .integer($0) } ?? .null,
      draft.spec.sizeBytes.map { .integer($0) } ?? .null, .date(draft.start), .date(draft.end),
      .text(draft.openedBy), .text(draft.closedBy), correctionID.map { .integer($0) } ?? .null,
    ]
  }
}

/// Effects of fast-path observations not yet written. Rows inserted in this batch have no id yet: a head
/// names such a row with a negative id (-1 - its index here), and closing it edits the buffered row.
struct WriteBuffer {
  var observations: [Observation] = []
  var views: [ResourceKey: ViewEntry] = [:]
  var viewOrder: [ResourceKey] = []
  var closes: [LedgerEngine.Close] = []
  var rows: [IntervalDraft] = []

  var isEmpty: Bool { observations.isEmpty }

  /// Buffers `effects` (from `LedgerEngine.applyNewest` on `head`) and returns the resource's new head.
  mutating func add(_ effects: LedgerEngine.Effects, head: LedgerEngine.Head) -> LedgerEngine.Head {
    observations.append(effects.observation)
    var head = head
    if let view = effects.view {
      if views.updateValue(view, forKey: effects.key) == nil { viewOrder.append(effects.key) }
      head.view = view
    }
    for close in effects.closes {
      if close.rowID < 0 {
        let index = Int(-1 - close.rowID)
        rows[index].end = close.end
        rows[index].closedBy = close.closedBy
      } else {
        closes.append(close)
      }
      head.open.removeAll { $0.id == close.rowID }
    }
    for draft in effects.newRows {
      let id = -1 - Int64(rows.count)
      rows.append(draft)
      if draft.end == nil {
        head.open.append(
          UsageInterval(
            id: id, key: draft.key, projectID: draft.projectID, spec: draft.spec, state: draft.state,
            start: draft.start, end: nil, openedBy: draft.openedBy, closedBy: nil, correctionID: nil))
      }
    }
    return head
  }
}

extension Array {
  fileprivate func chunked(_ size: Int) -> [ArraySlice<Element>] {
    stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
  }
}
