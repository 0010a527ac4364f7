import Foundation

/// One row of the usage ledger: a metered resource in one state with one spec from `start` to `end`
/// (nil while it lasts).
///
/// Append-only rules (what a SQL store must enforce too):
/// - a row is inserted once; the only later write to it is setting `end` (with `closedBy`) while it is
///   open, exactly once;
/// - a late event that changes history already closed never edits those rows: a `LedgerCorrection` row
///   names the rows it replaces and the new rows carry its id. The *effective* ledger is every row not
///   named by a correction; re-rating a period reads the effective rows, an audit reads them all.
public struct UsageInterval: Sendable, Hashable, Identifiable {
  public var id: Int64
  public var key: ResourceKey
  public var projectID: String
  public var spec: ResourceSpec
  public var state: String
  public var start: Date
  public var end: Date?
  /// The observation (message_id or resync id) that opened it.
  public var openedBy: String
  public var closedBy: String?
  /// The correction that inserted this row, when it replaced earlier rows.
  public var correctionID: Int64?

  public init(
    id: Int64, key: ResourceKey, projectID: String, spec: ResourceSpec, state: String, start: Date, end: Date?,
    openedBy: String, closedBy: String?, correctionID: Int64?
  ) {
    self.id = id
    self.key = key
    self.projectID = projectID
    self.spec = spec
    self.state = state
    self.start = start
    self.end = end
    self.openedBy = openedBy
    self.closedBy = closedBy
    self.correctionID = correctionID
  }

  /// Seconds of overlap with [from, to), an open row counting up to `to`.
  public func seconds(from: Date, to: Date) -> TimeInterval {
    let s = max(start, from)
    let e = min(end ?? to, to)
    return max(0, e.timeIntervalSince(s))
  }
}

/// An interval as the engine derives it, before the store gives it an id.
public struct IntervalDraft: Sendable, Hashable {
  public var key: ResourceKey
  public var projectID: String
  public var spec: ResourceSpec
  public var state: String
  public var start: Date
  public var end: Date?
  public var openedBy: String
  public var closedBy: String?

  /// Same resource, project, spec, state and bounds (who opened or closed it does not matter: two streams
  /// with the same facts give the same ledger).
  func sameFacts(as row: UsageInterval) -> Bool {
    row.projectID == projectID && row.spec == spec && row.state == state && row.start == start && row.end == end
  }
}

/// Replaces effective rows whose history a late event changed (see `UsageInterval`).
public struct LedgerCorrection: Sendable, Hashable, Identifiable {
  public var id: Int64
  public var key: ResourceKey
  /// Rows no longer effective.
  public var replaced: [Int64]
  /// The observation that made the correction necessary.
  public var sourceID: String
  public var reason: String
}
