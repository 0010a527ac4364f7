import Foundation

extension OpenStackNotification {
  /// The observations this notification makes: one per resource it describes (several for bulk Neutron
  /// creates), none for event types metering does not follow.
  public var observations: [Observation] {
    switch event {
    case .instance(let e): return [Self.observation(e, messageID: messageID, at: timestamp)]
    case .volume(let e):
      let v = e.volume
      let key = ResourceKey(.volume, v.id)
      if e.action == .deleted || v.status == "deleted" {
        return [Observation(key: key, time: timestamp, sourceID: messageID, snapshot: nil)]
      }
      let snapshot = ResourceSnapshot(
        projectID: v.projectID, userID: v.userID, name: v.name, state: v.status ?? "available",
        spec: ResourceSpec(flavor: v.volumeType, diskGB: v.sizeGB), attachedTo: v.attachedTo)
      return [Observation(key: key, time: timestamp, sourceID: messageID, snapshot: snapshot)]
    case .image(let e):
      let i = e.image
      let key = ResourceKey(.image, i.id)
      // `pending_delete` (delayed delete): gone for the owner, the scrubber removes the data later.
      if e.action == .deleted || i.isDeleted || i.status == "deleted" || i.status == "pending_delete" {
        return [Observation(key: key, time: timestamp, sourceID: messageID, snapshot: nil)]
      }
      // Every status is a ledger state (a queued image is known, but stores nothing): the interval that
      // bills opens when an event first says active with its size, and rating charges only the states
      // that hold data (`PriceList.StateRules.image`).
      let snapshot = ResourceSnapshot(
        projectID: i.projectID, name: i.name, state: i.status, spec: ResourceSpec(sizeBytes: i.sizeBytes))
      return [Observation(key: key, time: timestamp, sourceID: messageID, snapshot: snapshot)]
    case .stack(let e):
      let s = e.stack
      let snapshot =
        e.action == .deleted
        ? nil
        : ResourceSnapshot(projectID: s.projectID, userID: s.userID, name: s.name, state: s.state ?? "UNKNOWN")
      return [Observation(key: ResourceKey(.stack, s.id), time: timestamp, sourceID: messageID, snapshot: snapshot)]
    case .project(let e):
      let snapshot = e.action == .deleted ? nil : ResourceSnapshot(projectID: e.id, state: "present")
      return [Observation(key: ResourceKey(.project, e.id), time: timestamp, sourceID: messageID, snapshot: snapshot)]
    case .user(let e):
      let snapshot = e.action == .deleted ? nil : ResourceSnapshot(projectID: nil, state: "present")
      return [Observation(key: ResourceKey(.user, e.id), time: timestamp, sourceID: messageID, snapshot: snapshot)]
    case .network(let e):
      return e.resources.map { n in
        let snapshot =
          e.action == .deleted
          ? nil : ResourceSnapshot(projectID: n.projectID, name: n.name, state: n.status ?? "UNKNOWN")
        return Observation(key: ResourceKey(.network, n.id), time: timestamp, sourceID: messageID, snapshot: snapshot)
      }
    case .port(let e):
      return e.resources.map { p in
        let snapshot =
          e.action == .deleted
          ? nil
          : ResourceSnapshot(
            projectID: p.projectID, name: p.name, state: p.status ?? "UNKNOWN", networkID: p.networkID,
            deviceID: p.deviceID, address: p.fixedIPs.first)
        return Observation(key: ResourceKey(.port, p.id), time: timestamp, sourceID: messageID, snapshot: snapshot)
      }
    case .floatingIP(let e):
      return e.resources.map { f in
        let snapshot =
          e.action == .deleted
          ? nil
          : ResourceSnapshot(
            projectID: f.projectID, state: f.portID == nil ? "allocated" : "associated",
            networkID: f.floatingNetworkID, deviceID: f.portID, address: f.address)
        return Observation(
          key: ResourceKey(.floatingIP, f.id), time: timestamp, sourceID: messageID, snapshot: snapshot)
      }
    case .unknown: return []
    }
  }

  /// Server events. Times follow Nova's own usage accounting: a delete counts from `terminated_at`, a
  /// launch from `launched_at` cut to whole seconds (never later than the event itself). Nova sends the
  /// `compute.instance.update` that reports the server active a few milliseconds BEFORE `create.end`; both
  /// count from `launched_at`, so neither order rewrites the closed `building` row (no ledger correction per
  /// server created) and instance-hours equal os-simple-tenant-usage's.
  static func observation(_ e: InstanceEvent, messageID: String, at timestamp: Date) -> Observation {
    let i = e.instance
    let key = ResourceKey(.server, i.id)
    if e.action == .deleted || i.state == "deleted" || i.state == "soft-delete" {
      let end =
        [i.terminatedAt.map(wholeSecond), i.deletedAt].compactMap { $0 }.filter { $0 <= timestamp }.min() ?? timestamp
      return Observation(key: key, time: end, sourceID: messageID, snapshot: nil)
    }
    var time = timestamp
    let state = i.state ?? e.action.impliedState
    // Nova bills from the truncated launched_at. The events that report the launch (the instance update that
    // says active, create.end a few milliseconds later) all count from it, so they land at the same time and
    // the ledger needs no correction whichever arrives first; a create.end is back-dated however late it is.
    if state == "active", let launched = i.launchedAt.map(wholeSecond), launched <= timestamp,
      e.action == .created || timestamp.timeIntervalSince(launched) < launchSlack
    {
      time = launched
    }
    // vm_state "building" only ever precedes the launch, and the launch opens at the truncated second: a
    // building update stamped within that second (it always is, it was sent before the real launch) goes
    // just before it, not after (which would reopen "building" for a fraction of a second).
    if state == "building" { time = min(time, wholeSecond(timestamp).addingTimeInterval(-0.000_001)) }
    let snapshot = ResourceSnapshot(
      projectID: i.projectID, userID: i.userID, name: i.name, state: state,
      spec: ResourceSpec(
        flavor: i.flavor.name ?? i.flavor.id, vcpus: i.flavor.vcpus, memoryMB: i.flavor.memoryMB,
        diskGB: i.flavor.rootGB),
      stackID: StackMembership.stackID(metadata: i.metadata))
    return Observation(key: key, time: time, sourceID: messageID, snapshot: snapshot)
  }
}

/// Nova keeps `launched_at` and `terminated_at` in whole seconds: nova-compute saves them through the
/// conductor as versioned objects, whose wire format (oslo.versionedobjects isotime) has no fraction, so the
/// database and os-simple-tenant-usage count from the truncated second. The compute host's own create/delete
/// notification still carries the microseconds of its in-memory object (seen on the test cloud:
/// `02:19:57.510962` in create.end, `02:19:57.000000` in every later payload); truncating here keeps the
/// ledger's hours equal to Nova's.
func wholeSecond(_ date: Date) -> Date {
  Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
}

/// How soon after the (truncated) `launched_at` an active instance event still reports the launch itself:
/// Nova sets `launched_at`, saves the instance (the update notification) and sends `create.end` within
/// milliseconds; the truncation adds up to one second. A later active event (a start after a stop) is not one.
let launchSlack: TimeInterval = 2

extension InstanceAction {
  /// The vm_state an action leaves a server in, for payloads that do not say.
  var impliedState: String {
    switch self {
    case .poweredOff: return "stopped"
    case .suspended: return "suspended"
    case .paused: return "paused"
    case .shelved: return "shelved"
    case .shelveOffloaded: return "shelved_offloaded"
    case .resized: return "resized"
    case .deleted: return "deleted"
    default: return "active"
    }
  }
}

/// Which stack (rack) a server belongs to. Heat puts no stack id on the servers it creates unless the
/// template does; these are the metadata keys operators and Heat templates use for it, in order.
public enum StackMembership {
  public static let metadataKeys = ["steward:rack", "metering.stack", "heat_stack_id"]

  public static func stackID(metadata: [String: String]) -> String? {
    for key in metadataKeys { if let v = metadata[key], !v.isEmpty { return v } }
    return nil
  }
}
