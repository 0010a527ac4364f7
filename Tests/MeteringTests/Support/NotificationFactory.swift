import Foundation

@testable import Metering

/// Builds notification bodies (messagingv2 envelope) for streams in tests, shaped like the fixtures.
enum NotificationFactory {
  static let base = NotificationTimestamp.parse("2024-05-14 00:00:00")!

  /// `2024-05-14` plus `minutes`.
  static func time(_ minutes: Double) -> Date { base.addingTimeInterval(minutes * 60) }

  static func stamp(_ minutes: Double) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSS"
    return f.string(from: time(minutes))
  }

  static func envelope(_ id: String, _ eventType: String, at minutes: Double, payload: [String: Any]) -> [UInt8] {
    let message: [String: Any] = [
      "message_id": id, "event_type": eventType, "publisher_id": "test", "priority": "INFO",
      "timestamp": stamp(minutes), "payload": payload,
    ]
    let inner = String(
      decoding: try! JSONSerialization.data(withJSONObject: message, options: [.sortedKeys]), as: UTF8.self)
    let outer: [String: Any] = ["oslo.version": "2.0", "oslo.message": inner]
    return Array(try! JSONSerialization.data(withJSONObject: outer, options: [.sortedKeys]))
  }

  struct Flavor {
    var name: String
    var vcpus: Int
    var ram: Int
    var disk: Int
    static let small = Flavor(name: "SCS-1V-2", vcpus: 1, ram: 2048, disk: 10)
    static let large = Flavor(name: "SCS-4V-8", vcpus: 4, ram: 8192, disk: 20)
  }

  static func instance(
    _ id: String, _ action: String, server: String, project: String, flavor: Flavor, state: String, at minutes: Double,
    launchedAt: Double? = nil, terminatedAt: Double? = nil, metadata: [String: String] = [:]
  ) -> [UInt8] {
    var payload: [String: Any] = [
      "instance_id": server, "tenant_id": project, "user_id": "u1", "display_name": "vm-\(server)",
      "instance_type": flavor.name, "instance_flavor_id": flavor.name, "vcpus": flavor.vcpus,
      "memory_mb": flavor.ram, "root_gb": flavor.disk, "ephemeral_gb": 0, "state": state,
      "launched_at": launchedAt.map(stamp) ?? "", "terminated_at": terminatedAt.map(stamp) ?? "",
      "deleted_at": "", "metadata": metadata,
    ]
    if action == "update" { payload["old_state"] = "active" }
    let type = action == "update" ? "compute.instance.update" : "compute.instance.\(action).end"
    return envelope(id, type, at: minutes, payload: payload)
  }

  static func volume(
    _ id: String, _ action: String, volume: String, project: String, size: Int, status: String, at minutes: Double,
    attachedTo: String? = nil
  ) -> [UInt8] {
    let payload: [String: Any] = [
      "volume_id": volume, "tenant_id": project, "user_id": "u1", "display_name": "vol-\(volume)", "size": size,
      "volume_type": "ssd", "status": status,
      "volume_attachment": attachedTo.map { [["instance_uuid": $0]] } ?? [],
    ]
    return envelope(id, "volume.\(action).end", at: minutes, payload: payload)
  }

  static func floatingIP(
    _ id: String, _ action: String, fip: String, project: String, port: String?, at minutes: Double
  ) -> [UInt8] {
    if action == "delete" {
      return envelope(id, "floatingip.delete.end", at: minutes, payload: ["floatingip_id": fip])
    }
    var f: [String: Any] = [
      "id": fip, "project_id": project, "floating_ip_address": "172.24.4.10", "floating_network_id": "ext",
      "status": "ACTIVE",
    ]
    f["port_id"] = port ?? NSNull()
    return envelope(id, "floatingip.\(action).end", at: minutes, payload: ["floatingip": f])
  }

  static func unknown(_ id: String, at minutes: Double) -> [UInt8] {
    envelope(id, "compute.instance.exists", at: minutes, payload: ["instance_id": "x", "tenant_id": "p"])
  }

  /// A realistic clean stream: two projects, servers created, stopped, resized, started, deleted; volumes
  /// created, attached, resized, detached, deleted; a floating IP allocated, associated, released; keystone
  /// and neutron events; unknown event types.
  static func cleanStream() -> [[UInt8]] {
    var s: [[UInt8]] = []
    s.append(envelope("k1", "identity.project.created", at: 0, payload: ["resource_info": "p1"]))
    s.append(envelope("k2", "identity.project.created", at: 1, payload: ["resource_info": "p2"]))
    s.append(
      instance("a1", "create", server: "s1", project: "p1", flavor: .small, state: "active", at: 10, launchedAt: 9.5))
    s.append(instance("a2", "power_off", server: "s1", project: "p1", flavor: .small, state: "stopped", at: 70))
    s.append(instance("a3", "power_on", server: "s1", project: "p1", flavor: .small, state: "active", at: 100))
    s.append(instance("a4", "finish_resize", server: "s1", project: "p1", flavor: .large, state: "resized", at: 130))
    s.append(instance("a5", "resize.confirm", server: "s1", project: "p1", flavor: .large, state: "active", at: 135))
    s.append(instance("a5u", "update", server: "s1", project: "p1", flavor: .large, state: "active", at: 136))
    s.append(
      instance(
        "a6", "delete", server: "s1", project: "p1", flavor: .large, state: "deleted", at: 200, terminatedAt: 199))
    s.append(
      instance("b1", "create", server: "s2", project: "p2", flavor: .large, state: "active", at: 20, launchedAt: 20))
    s.append(instance("b2", "suspend", server: "s2", project: "p2", flavor: .large, state: "suspended", at: 50))
    s.append(instance("b3", "resume", server: "s2", project: "p2", flavor: .large, state: "active", at: 80))
    s.append(
      instance("b4", "shelve_offload", server: "s2", project: "p2", flavor: .large, state: "shelved_offloaded", at: 150)
    )
    s.append(
      instance(
        "c1", "create", server: "s3", project: "p1", flavor: .small, state: "active", at: 30, launchedAt: 30,
        metadata: ["steward:rack": "st1"]))
    s.append(
      envelope(
        "h1", "orchestration.stack.create.end", at: 31,
        payload: [
          "stack_identity": "arn:openstack:heat::p1:stacks/rack-1/st1", "stack_name": "rack-1", "tenant_id": "p1",
          "state": "CREATE_COMPLETE",
        ]))
    s.append(volume("v1", "create", volume: "vol1", project: "p1", size: 10, status: "available", at: 15))
    s.append(
      volume("v2", "attach", volume: "vol1", project: "p1", size: 10, status: "in-use", at: 40, attachedTo: "s1"))
    s.append(volume("v3", "detach", volume: "vol1", project: "p1", size: 10, status: "available", at: 60))
    s.append(volume("v4", "resize", volume: "vol1", project: "p1", size: 20, status: "available", at: 90))
    s.append(volume("v5", "delete", volume: "vol1", project: "p1", size: 20, status: "deleting", at: 180))
    s.append(floatingIP("f1", "create", fip: "fip1", project: "p2", port: nil, at: 25))
    s.append(floatingIP("f2", "update", fip: "fip1", project: "p2", port: "port1", at: 45))
    s.append(floatingIP("f3", "update", fip: "fip1", project: "p2", port: nil, at: 95))
    s.append(floatingIP("f4", "delete", fip: "fip1", project: "p2", port: nil, at: 170))
    s.append(
      envelope(
        "n1", "network.create.end", at: 5,
        payload: ["network": ["id": "net1", "project_id": "p1", "name": "private", "status": "ACTIVE"]]))
    s.append(unknown("x1", at: 60))
    s.append(unknown("x2", at: 120))
    return s
  }
}

/// Deterministic pseudo-random numbers (SplitMix64) so a failing shuffle can be reproduced from its seed.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// The facts of the effective ledger, without row ids or who opened/closed a row: what must not depend on
/// delivery order or repetition.
struct LedgerFact: Hashable, CustomStringConvertible {
  var key: ResourceKey
  var project: String
  var spec: ResourceSpec
  var state: String
  var start: Date
  var end: Date?

  init(_ r: UsageInterval) {
    key = r.key
    project = r.projectID
    spec = r.spec
    state = r.state
    start = r.start
    end = r.end
  }

  var description: String {
    "\(key) \(project) \(spec.flavor ?? "-")/\(spec.diskGB ?? 0) \(state) \(start.timeIntervalSince(NotificationFactory.base) / 60)..\(end.map { "\($0.timeIntervalSince(NotificationFactory.base) / 60)" } ?? "open")"
  }
}

extension MeteringStore {
  func effectiveFacts() async throws -> Set<LedgerFact> {
    let rows = try await read {
      try await $0.intervals(projectID: nil, kind: nil, from: .distantPast, to: .distantFuture)
    }
    return Set(rows.map(LedgerFact.init))
  }

  func liveView() async throws -> [ViewEntry] {
    try await read { try await $0.viewEntries(kind: nil, projectID: nil, includeDeleted: true) }
  }
}
