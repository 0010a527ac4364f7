import Foundation

/// "At `time`, resource `key` looked like `snapshot`" (or was deleted, `snapshot == nil`). Every effect of
/// a notification or a resync is an observation; the view and the ledger of a resource are a pure function
/// of the SET of its observations (see `LedgerEngine`), which is what makes duplicated and reordered
/// delivery harmless.
public struct Observation: Sendable, Hashable {
  public var key: ResourceKey
  public var time: Date
  /// The notification's message_id, or `resync:<run id>` for a repair.
  public var sourceID: String
  /// nil: the resource was deleted at `time`.
  public var snapshot: ResourceSnapshot?

  public init(key: ResourceKey, time: Date, sourceID: String, snapshot: ResourceSnapshot?) {
    self.key = key
    // Microseconds, as every store can keep them exactly: derived intervals must compare equal after a round trip.
    self.time = Date(timeIntervalSince1970: (time.timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
    self.sourceID = sourceID
    self.snapshot = snapshot
  }

  public var isDeletion: Bool { snapshot == nil }

  /// The total order observations are folded in: time, then (at the same instant) changes before deletions,
  /// then the source id, so ties are broken the same way whatever the arrival order.
  public static func precedes(_ a: Observation, _ b: Observation) -> Bool {
    if a.time != b.time { return a.time < b.time }
    if a.isDeletion != b.isDeletion { return !a.isDeletion }
    return a.sourceID < b.sourceID
  }
}
