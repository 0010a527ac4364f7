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
  /// create from `launched_at` when the payload has them (never later than the event itself) — except that
  /// a `create.end` less than `launchSlack` after `launched_at` counts from its own time. Nova sends the
  /// `compute.instance.update` that reports the server active (at its own time, its `launched_at` cut to
  /// whole seconds) a few milliseconds BEFORE `create.end`; back-dating `create.end` to the earlier
  /// `launched_at` would rewrite the closed `building` row, a ledger correction for every server created.
  /// A `create.end` delayed by more than that still counts from `launched_at`.
  static func observation(_ e: InstanceEvent, messageID: String, at timestamp: Date) -> Observation {
    let i = e.instance
    let key = ResourceKey(.server, i.id)
    if e.action == .deleted || i.state == "deleted" || i.state == "soft-delete" {
      let end = [i.terminatedAt, i.deletedAt].compactMap { $0 }.filter { $0 <= timestamp }.min() ?? timestamp
      return Observation(key: key, time: end, sourceID: messageID, snapshot: nil)
    }
    var time = timestamp
    if e.action == .created, let launched = i.launchedAt, launched <= timestamp,
      timestamp.timeIntervalSince(launched) > launchSlack
    {
      time = launched
    }
    let snapshot = ResourceSnapshot(
      projectID: i.projectID, userID: i.userID, name: i.name, state: i.state ?? e.action.impliedState,
      spec: ResourceSpec(
        flavor: i.flavor.name ?? i.flavor.id, vcpus: i.flavor.vcpus, memoryMB: i.flavor.memoryMB,
        diskGB: i.flavor.rootGB),
      stackID: StackMembership.stackID(metadata: i.metadata))
    return Observation(key: key, time: time, sourceID: messageID, snapshot: snapshot)
  }
}

/// How much earlier than `create.end` a server's `launched_at` must be for the create to be back-dated to it
/// (see `OpenStackNotification.observation(_:messageID:at:)`): Nova sets `launched_at`, saves the instance
/// (the update notification) and sends `create.end` within milliseconds.
let launchSlack: TimeInterval = 1

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
