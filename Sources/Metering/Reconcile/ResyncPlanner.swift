import Foundation

/// The level-triggered half of metering: diff what the APIs list against the view and turn every
/// difference into an observation, applied through the same engine as notifications (so repairs are
/// idempotent, ordered by time, and never rewrite history).
public struct ResyncPlan: Sendable {
  public var runID: String
  public var observedAt: Date
  public var repairs: [Repair]
  public var drift: DriftReport

  public struct Repair: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
      case vanished, unseen, changed, resurrected
      /// Only fields the notifications could not know (a project's name): applied, not counted as drift.
      case filledIn
    }

    public var kind: Kind
    public var key: ResourceKey
    /// What to apply; nil for drift that is only reported (`resurrected`).
    public var observation: Observation?
    public var reason: String
  }
}

public enum ResyncPlanner {
  /// `view` must hold every entry (live and deleted) of the listed kinds.
  public static func plan(view: [ViewEntry], observed: CloudObservation, runID: String) -> ResyncPlan {
    let at = observed.observedAt
    let source = "resync:\(runID)"
    var repairs: [ResyncPlan.Repair] = []
    var drift = DriftReport()
    var known: Set<ResourceKey> = []
    for entry in view where observed.listedKinds.contains(entry.key.kind) {
      known.insert(entry.key)
      let api = observed.resources[entry.key]
      if !entry.isLive {
        if api != nil {
          drift.kinds[entry.key.kind, default: .init()].resurrected += 1
          repairs.append(
            .init(
              kind: .resurrected, key: entry.key, observation: nil,
              reason: "deleted at \(entry.deletedAt!.ISO8601Format()) by \(entry.lastSourceID) but still listed"))
        }
        continue
      }
      // A notification newer than the listing already says more than the listing can.
      guard entry.lastObserved < at else { continue }
      guard let api else {
        drift.kinds[entry.key.kind, default: .init()].vanished += 1
        repairs.append(
          .init(
            kind: .vanished, key: entry.key,
            observation: Observation(key: entry.key, time: at, sourceID: source, snapshot: nil),
            reason: "no longer listed; last observed \(entry.lastObserved.ISO8601Format())"))
        continue
      }
      let differences = entry.snapshot.map { differencesBetween(view: $0, api: api.snapshot) } ?? ["unknown"]
      guard !differences.isEmpty else { continue }
      // Keystone and id-only Neutron events leave the name unknown, and Nova's leave the stack of a server
      // whose template did not tag it: filling those in is not drift.
      let isFillIn = differences.allSatisfy { $0.hasPrefix("name unset") || $0.hasPrefix("stack unset") }
      if !isFillIn { drift.kinds[entry.key.kind, default: .init()].changed += 1 }
      var snapshot = entry.snapshot.map { merged(view: $0, api: api.snapshot) } ?? api.snapshot
      if entry.key.kind == .project || entry.key.kind == .user { snapshot.state = api.snapshot.state }
      repairs.append(
        .init(
          kind: isFillIn ? .filledIn : .changed, key: entry.key,
          observation: Observation(key: entry.key, time: at, sourceID: source, snapshot: snapshot),
          reason: differences.joined(separator: ", ")))
    }
    for (key, api) in observed.resources.sorted(by: { $0.key < $1.key }) where !known.contains(key) {
      drift.kinds[key.kind, default: .init()].unseen += 1
      let since = api.since.map { min($0, at) } ?? at
      repairs.append(
        .init(
          kind: .unseen, key: key,
          observation: Observation(key: key, time: since, sourceID: source, snapshot: api.snapshot),
          reason: "listed but never notified; opened from \(since.ISO8601Format())"))
    }
    repairs.sort { ($0.key, $0.kind.rawValue) < ($1.key, $1.kind.rawValue) }
    return ResyncPlan(runID: runID, observedAt: at, repairs: repairs, drift: drift)
  }

  /// Fields the API states and the view disagrees with (fields the API leaves out are not drift).
  static func differencesBetween(view: ResourceSnapshot, api: ResourceSnapshot) -> [String] {
    var d: [String] = []
    func check<T: Equatable>(_ name: String, _ v: T?, _ a: T?) {
      if let a, v != a { d.append("\(name) \(v.map { "\($0)" } ?? "unset") → \(a)") }
    }
    check("state", view.state, api.state)
    check("project", view.projectID, api.projectID)
    check("flavor", view.spec.flavor, api.spec.flavor)
    check("vcpus", view.spec.vcpus, api.spec.vcpus)
    check("memory_mb", view.spec.memoryMB, api.spec.memoryMB)
    check("disk_gb", view.spec.diskGB, api.spec.diskGB)
    check("size_bytes", view.spec.sizeBytes, api.spec.sizeBytes)
    check("name", view.name, api.name)
    check("stack", view.stackID, api.stackID)
    check("device", view.deviceID, api.deviceID)
    if view.attachedTo.sorted() != api.attachedTo.sorted() {
      d.append("attached_to \(view.attachedTo.sorted()) → \(api.attachedTo.sorted())")
    }
    return d
  }

  static func merged(view: ResourceSnapshot, api: ResourceSnapshot) -> ResourceSnapshot {
    var s = view
    s.state = api.state
    s.projectID = api.projectID ?? view.projectID
    s.userID = api.userID ?? view.userID
    s.name = api.name ?? view.name
    s.spec.flavor = api.spec.flavor ?? view.spec.flavor
    s.spec.vcpus = api.spec.vcpus ?? view.spec.vcpus
    s.spec.memoryMB = api.spec.memoryMB ?? view.spec.memoryMB
    s.spec.diskGB = api.spec.diskGB ?? view.spec.diskGB
    s.spec.sizeBytes = api.spec.sizeBytes ?? view.spec.sizeBytes
    s.stackID = api.stackID ?? view.stackID
    s.attachedTo = api.attachedTo
    s.networkID = api.networkID ?? view.networkID
    s.deviceID = api.deviceID
    s.address = api.address ?? view.address
    return s
  }
}

extension MeteringStore {
  /// Plans a resync against the current view (read in one snapshot) and, unless `dryRun`, applies its
  /// repairs and records the run in one transaction.
  public func resync(_ observed: CloudObservation, runID: String, dryRun: Bool = false, now: Date = Date())
    async throws -> ResyncPlan
  {
    let kinds = observed.listedKinds
    let view = try await read { r in
      var all: [ViewEntry] = []
      for kind in kinds.sorted(by: { $0.rawValue < $1.rawValue }) {
        all += try await r.viewEntries(kind: kind, projectID: nil, includeDeleted: true)
      }
      return all
    }
    let plan = ResyncPlanner.plan(view: view, observed: observed, runID: runID)
    guard !dryRun else { return plan }
    try await write { w in
      var observations: [Observation] = []
      for repair in plan.repairs {
        guard let observation = repair.observation else { continue }
        // Re-checked inside the transaction: a notification may have arrived since the plan was made.
        if repair.kind != .unseen, let entry = try await w.viewEntry(repair.key), entry.lastObserved >= plan.observedAt
        {
          continue
        }
        observations.append(observation)
      }
      // One repair per resource: applied together, as the consumer applies a batch (SQL stores take the
      // resource's head instead of its whole history when the repair is its newest observation).
      _ = try await w.apply(observations)
      if let listings = observed.stackListings { try await w.replaceStackResourceListings(listings) }
      try await w.record(
        resync: ResyncRecord(id: plan.runID, observedAt: plan.observedAt, finishedAt: now, drift: plan.drift))
    }
    return plan
  }
}
