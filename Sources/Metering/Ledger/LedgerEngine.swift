import Foundation

/// Turns one observation plus the resource's history into the writes that bring the view and the ledger
/// up to date. Pure: stores call it inside their write transaction.
///
/// The rule that makes the ledger independent of delivery order and repetition: a resource's view and its
/// effective ledger rows are a function of the SET of its observations, folded in `Observation.precedes`
/// order —
/// - an observation whose (project, state, spec) differs from the open interval's closes it at the
///   observation's time and opens a new one; an identical one changes nothing in the ledger;
/// - a deletion closes the open interval and is terminal: observations after it are ignored (OpenStack
///   never reuses ids), so a late update cannot reopen a deleted resource;
/// - two observations at the same instant: the later in that order wins and no zero-length row is kept.
///
/// Applying a new observation recomputes that fold and diffs it against the effective rows: a common prefix
/// stays; the open row whose only difference is its missing end is closed (the single update the ledger
/// allows); anything else that differs — closed history a late event changed — is replaced through a
/// `LedgerCorrection` plus new rows, never edited.
public enum LedgerEngine {
  /// What the store knows about a resource before the observation.
  public struct History: Sendable {
    public var observations: [Observation]
    /// Effective rows, ordered by start.
    public var rows: [UsageInterval]

    public init(observations: [Observation], rows: [UsageInterval]) {
      self.observations = observations
      self.rows = rows
    }

    public static let empty = History(observations: [], rows: [])
  }

  public struct Close: Sendable, Hashable {
    public var rowID: Int64
    public var end: Date
    public var closedBy: String
  }

  public struct Effects: Sendable {
    public var key: ResourceKey
    public var observation: Observation
    /// False when the observation was already recorded (same source, same resource): nothing to write.
    public var isNew: Bool
    public var view: ViewEntry?
    public var closes: [Close]
    /// Rows to mark replaced (through one correction), and why.
    public var replaced: [Int64]
    public var correctionReason: String?
    public var newRows: [IntervalDraft]

    public var changesLedger: Bool { !closes.isEmpty || !replaced.isEmpty || !newRows.isEmpty }
  }

  public static func apply(_ observation: Observation, to history: History) -> Effects {
    let key = observation.key
    if history.observations.contains(where: { $0.sourceID == observation.sourceID }) {
      return Effects(
        key: key, observation: observation, isNew: false, view: nil, closes: [], replaced: [],
        correctionReason: nil, newRows: [])
    }
    var all = history.observations
    all.append(observation)
    all.sort(by: Observation.precedes)
    let view = view(of: all)
    guard key.isMetered else {
      return Effects(
        key: key, observation: observation, isNew: true, view: view, closes: [], replaced: [],
        correctionReason: nil, newRows: [])
    }
    let desired = intervals(of: all)
    let current = history.rows
    var i = 0
    while i < current.count, i < desired.count, desired[i].sameFacts(as: current[i]) { i += 1 }
    var closes: [Close] = []
    if i < current.count, i < desired.count, current[i].end == nil, let end = desired[i].end {
      var open = desired[i]
      open.end = nil
      if open.sameFacts(as: current[i]) {
        closes.append(Close(rowID: current[i].id, end: end, closedBy: desired[i].closedBy ?? observation.sourceID))
        i += 1
      }
    }
    let replaced = current[i...].map(\.id)
    let newRows = Array(desired[min(i, desired.count)...])
    var reason: String?
    if !replaced.isEmpty {
      reason =
        "\(observation.isDeletion ? "deletion" : "observation") at \(observation.time.ISO8601Format(.iso8601)) "
        + "arrived after newer history of \(key)"
    }
    return Effects(
      key: key, observation: observation, isNew: true, view: view, closes: closes, replaced: replaced,
      correctionReason: reason, newRows: newRows)
  }

  /// The little of a resource's history that an observation newer than all of it needs: the view entry
  /// (whose `lastObserved` is the newest observation that counted) and the effective rows still open.
  public struct Head: Sendable {
    public var view: ViewEntry?
    public var open: [UsageInterval]

    public init(view: ViewEntry?, open: [UsageInterval]) {
      self.view = view
      self.open = open
    }

    public static let empty = Head(view: nil, open: [])
  }

  /// The fast path of `apply(_:to:)`: the effects of an observation strictly newer than everything known
  /// about its resource, from the resource's head alone, so applying it costs the same whatever the length
  /// of the history. The caller has already checked that this source was not applied to the resource.
  /// Returns nil when the full history is needed — the observation does not sort after all history (a late
  /// event, or a same-instant one ordered before the last, may rewrite closed history), a row opened at this
  /// very instant would be replaced, or the head is not what the fold leaves behind.
  /// Equal to `apply(_:to:)` whenever it answers (property-tested).
  public static func applyNewest(_ observation: Observation, head: Head) -> Effects? {
    let key = observation.key
    func effects(view: ViewEntry?, closes: [Close] = [], newRows: [IntervalDraft] = []) -> Effects {
      Effects(
        key: key, observation: observation, isNew: true, view: view, closes: closes, replaced: [],
        correctionReason: nil, newRows: newRows)
    }
    guard let old = head.view else {
      // First observation of the resource.
      guard head.open.isEmpty else { return nil }
      return effects(
        view: view(of: [observation]), newRows: key.isMetered ? intervals(of: [observation]) : [])
    }
    guard sortsAfterEverything(observation, known: old) else { return nil }
    if old.deletedAt != nil {
      // Deletion is terminal: later observations change neither the view nor the ledger.
      return head.open.isEmpty ? effects(view: old) : nil
    }
    var view = old
    view.lastObserved = observation.time
    view.lastSourceID = observation.sourceID
    if var snapshot = observation.snapshot {
      if key.kind == .project || key.kind == .user, let previous = old.snapshot {
        snapshot.name = snapshot.name ?? previous.name
        snapshot.projectID = snapshot.projectID ?? previous.projectID
      }
      view.snapshot = snapshot
    } else {
      view.deletedAt = observation.time
    }
    guard key.isMetered else { return head.open.isEmpty ? effects(view: view) : nil }
    // A live metered resource has exactly one open row (the fold always leaves one).
    guard head.open.count == 1, let open = head.open.first, open.start < observation.time else { return nil }
    let close = Close(rowID: open.id, end: observation.time, closedBy: observation.sourceID)
    guard let snapshot = observation.snapshot else { return effects(view: view, closes: [close]) }
    let project = snapshot.projectID ?? open.projectID
    if open.projectID == project, open.state == snapshot.state, open.spec == snapshot.spec {
      return effects(view: view)
    }
    return effects(
      view: view, closes: [close],
      newRows: [
        IntervalDraft(
          key: key, projectID: project, spec: snapshot.spec, state: snapshot.state, start: observation.time,
          end: nil, openedBy: observation.sourceID, closedBy: nil)
      ])
  }

  /// Whether `observation` comes after every observation behind `view` in `Observation.precedes` order, so the
  /// fold over all of them is the fold so far plus this one step. The view's last observation is the newest one,
  /// or its first deletion when it is deleted. Same-instant observations count when they sort after it: Nova's
  /// update payloads carry whole seconds, so a server's burst of updates often shares an instant.
  static func sortsAfterEverything(_ observation: Observation, known view: ViewEntry) -> Bool {
    if observation.time != view.lastObserved { return observation.time > view.lastObserved }
    let lastIsDeletion = view.deletedAt != nil
    if observation.isDeletion != lastIsDeletion { return observation.isDeletion }
    return observation.sourceID > view.lastSourceID
  }

  /// The intervals of a resource from all its observations (sorted with `Observation.precedes`).
  public static func intervals(of sorted: [Observation]) -> [IntervalDraft] {
    var rows: [IntervalDraft] = []
    for o in sorted {
      guard let snapshot = o.snapshot else {
        if let last = rows.last, last.end == nil {
          if last.start == o.time {
            rows.removeLast()
            if rows.last?.end == o.time { rows[rows.count - 1].closedBy = o.sourceID }
          } else {
            rows[rows.count - 1].end = o.time
            rows[rows.count - 1].closedBy = o.sourceID
          }
        }
        break  // deletion is terminal
      }
      let project = snapshot.projectID ?? rows.last?.projectID ?? ""
      if let last = rows.last {
        if last.projectID == project, last.state == snapshot.state, last.spec == snapshot.spec { continue }
        if last.start == o.time {
          rows.removeLast()
          // The row before may now continue seamlessly into this one.
          if let previous = rows.last, previous.end == o.time, previous.projectID == project,
            previous.state == snapshot.state, previous.spec == snapshot.spec
          {
            rows[rows.count - 1].end = nil
            rows[rows.count - 1].closedBy = nil
            continue
          }
        } else {
          rows[rows.count - 1].end = o.time
          rows[rows.count - 1].closedBy = o.sourceID
        }
      }
      rows.append(
        IntervalDraft(
          key: o.key, projectID: project, spec: snapshot.spec, state: snapshot.state, start: o.time, end: nil,
          openedBy: o.sourceID, closedBy: nil))
    }
    return rows
  }

  /// The view entry from all observations (sorted): the newest snapshot before the first deletion. Keystone
  /// events carry only an id, so for projects and users fields a newer snapshot lacks are kept from older ones.
  public static func view(of sorted: [Observation]) -> ViewEntry? {
    guard let first = sorted.first else { return nil }
    var entry = ViewEntry(
      key: first.key, snapshot: nil, firstObserved: first.time, lastObserved: first.time,
      lastSourceID: first.sourceID, deletedAt: nil)
    let inherits = first.key.kind == .project || first.key.kind == .user
    for o in sorted {
      entry.lastObserved = o.time
      entry.lastSourceID = o.sourceID
      guard var snapshot = o.snapshot else {
        entry.deletedAt = o.time
        break
      }
      if inherits, let old = entry.snapshot {
        snapshot.name = snapshot.name ?? old.name
        snapshot.projectID = snapshot.projectID ?? old.projectID
      }
      entry.snapshot = snapshot
    }
    return entry
  }
}
