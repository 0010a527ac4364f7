import Foundation
import Testing

@testable import Metering

private typealias F = NotificationFactory

@Suite struct ResyncPlannerTests {
  private func server(_ project: String, _ state: String, _ flavor: F.Flavor = .small, name: String? = nil)
    -> ResourceSnapshot
  {
    ResourceSnapshot(
      projectID: project, name: name, state: state,
      spec: ResourceSpec(flavor: flavor.name, vcpus: flavor.vcpus, memoryMB: flavor.ram, diskGB: flavor.disk))
  }

  /// s1 (p1) created at 10, s2 (p2) created at 20, a volume at 15; nothing after minute 30.
  private func store() async throws -> InMemoryMeteringStore {
    let store = InMemoryMeteringStore()
    _ = try await NotificationIngestor(store: store).ingest(
      [
        F.instance("1", "create", server: "s1", project: "p1", flavor: .small, state: "active", at: 10),
        F.instance("2", "create", server: "s2", project: "p2", flavor: .large, state: "active", at: 20),
        F.volume("3", "create", volume: "vol1", project: "p1", size: 10, status: "available", at: 15),
      ].map { .init(body: $0) })
    return store
  }

  private func observation(at minutes: Double) -> CloudObservation {
    var o = CloudObservation(observedAt: F.time(minutes))
    o.add(
      .server,
      [
        ("s1", ObservedResource(snapshot: server("p1", "stopped"))),
        ("s4", ObservedResource(snapshot: server("p2", "active", .large), since: F.time(110))),
      ])
    return o
  }

  /// Heat's per-stack resource list places servers the Nova notifications could not (untagged templates):
  /// only resources listed without a stack get one, and filling it in is not drift nor a new interval.
  @Test func stackMembershipFromHeatIsFilledInNotDrift() async throws {
    let store = try await store()
    var o = CloudObservation(observedAt: F.time(120))
    o.add(
      .server,
      [
        ("s1", ObservedResource(snapshot: server("p1", "active"))),
        ("s2", ObservedResource(snapshot: server("p2", "active", .large))),
      ])
    var tagged = server("p2", "active", .large)
    tagged.stackID = "own"
    o.resources[ResourceKey(.server, "s2")]?.snapshot = tagged
    o.assignStacks([
      ResourceKey(.server, "s1"): "rack", ResourceKey(.server, "s2"): "rack", ResourceKey(.server, "gone"): "rack",
    ])
    #expect(o.resources[ResourceKey(.server, "s1")]?.snapshot.stackID == "rack")
    #expect(o.resources[ResourceKey(.server, "s2")]?.snapshot.stackID == "own", "the server's own tag wins")
    #expect(o.resources[ResourceKey(.server, "gone")] == nil, "membership adds no resources")
    let plan = try await store.resync(o, runID: "r1", now: F.time(121))
    let s1 = plan.repairs.first { $0.key == ResourceKey(.server, "s1") }
    #expect(s1?.kind == .filledIn && s1?.reason == "stack unset → rack")
    #expect(plan.drift.total == 0, "\(plan.repairs.map(\.reason))")
    let view = try await store.read { try await $0.viewEntry(ResourceKey(.server, "s1")) }
    #expect(view?.snapshot?.stackID == "rack")
    let rows = try await store.read { try await $0.history(of: ResourceKey(.server, "s1")).rows }
    #expect(rows.count == 1, "membership is not a usage change")
  }

  @Test func repairsWhatTheNotificationsMissed() async throws {
    let store = try await store()
    let plan = try await store.resync(observation(at: 120), runID: "r1", now: F.time(121))
    #expect(
      plan.repairs.map { "\($0.kind) \($0.key)" } == ["changed server/s1", "vanished server/s2", "unseen server/s4"])
    #expect(plan.repairs[0].reason == "state active → stopped")
    #expect(
      plan.drift.kinds[.server]
        == {
          var c = DriftReport.Counts()
          c.changed = 1
          c.vanished = 1
          c.unseen = 1
          return c
        }())
    let s1 = try await store.read { try await $0.history(of: ResourceKey(.server, "s1")).rows }
    #expect(s1.map(\.state) == ["active", "stopped"] && s1[1].start == F.time(120) && s1[1].openedBy == "resync:r1")
    let s2 = try await store.read { try await $0.history(of: ResourceKey(.server, "s2")).rows }
    #expect(s2.count == 1 && s2[0].end == F.time(120), "closed at observation time")
    let s4 = try await store.read { try await $0.history(of: ResourceKey(.server, "s4")).rows }
    #expect(s4.count == 1 && s4[0].start == F.time(110) && s4[0].end == nil, "opened from launch")
    let vol = try await store.read { try await $0.viewEntry(ResourceKey(.volume, "vol1")) }
    #expect(vol?.isLive == true, "volumes were not listed, so not diffed")
    let stats = try await store.read { try await $0.stats() }
    #expect(stats.lastResync?.drift.total == 3)
  }

  @Test func aSecondResyncFindsNoDriftAndReplayingARunChangesNothing() async throws {
    let store = try await store()
    _ = try await store.resync(observation(at: 120), runID: "r1")
    let rows = try await store.read { try await $0.allIntervals() }
    _ = try await store.resync(observation(at: 120), runID: "r1")
    #expect(try await store.read { try await $0.allIntervals() } == rows)
    let again = try await store.resync(observation(at: 130), runID: "r2")
    #expect(again.repairs.isEmpty && again.drift.total == 0)
  }

  @Test func resourcesNotifiedAfterTheListingStartedAreLeftAlone() async throws {
    let store = try await store()
    // s2 was created at 20, but the listing started at 15 (before its create event): not vanished.
    var o = CloudObservation(observedAt: F.time(15))
    o.add(.server, [("s1", ObservedResource(snapshot: server("p1", "active")))])
    let plan = try await store.resync(o, runID: "r", dryRun: true)
    #expect(plan.repairs.isEmpty)
  }

  @Test func aLateDeleteNotificationMovesTheResyncClosureBack() async throws {
    let store = try await store()
    _ = try await store.resync(observation(at: 120), runID: "r1")
    _ = try await NotificationIngestor(store: store).ingest([
      .init(body: F.instance("9", "delete", server: "s2", project: "p2", flavor: .large, state: "deleted", at: 100))
    ])
    let s2 = try await store.read { try await $0.history(of: ResourceKey(.server, "s2")).rows }
    #expect(s2.count == 1 && s2[0].end == F.time(100))
    #expect(try await store.read { try await $0.corrections() }.count == 1)
  }

  @Test func deletedButListedIsReportedNotReopened() async throws {
    let store = try await store()
    _ = try await NotificationIngestor(store: store).ingest([
      .init(body: F.instance("9", "delete", server: "s1", project: "p1", flavor: .small, state: "deleted", at: 50))
    ])
    var o = CloudObservation(observedAt: F.time(60))
    o.add(
      .server,
      [
        ("s1", ObservedResource(snapshot: server("p1", "active"))),
        ("s2", ObservedResource(snapshot: server("p2", "active", .large))),
      ])
    let plan = try await store.resync(o, runID: "r")
    #expect(plan.repairs.map(\.kind) == [.resurrected])
    #expect(try await store.read { try await $0.openIntervals(kind: .server) }.map(\.key.id) == ["s2"])
  }

  @Test func fieldsTheAPIDoesNotStateAreNotDrift() {
    let view = ResourceSnapshot(projectID: "p", name: "a", state: "active", spec: ResourceSpec(flavor: "f", vcpus: 2))
    let api = ResourceSnapshot(projectID: nil, state: "active", spec: ResourceSpec(flavor: "f"))
    #expect(ResyncPlanner.differencesBetween(view: view, api: api).isEmpty)
  }
}

@Suite struct ResyncFillInTests {
  @Test func keystoneNamesAreFilledInWithoutCountingDrift() async throws {
    let store = InMemoryMeteringStore()
    _ = try await NotificationIngestor(store: store).ingest([
      .init(
        body: NotificationFactory.envelope("k", "identity.project.created", at: 0, payload: ["resource_info": "p1"]))
    ])
    var o = CloudObservation(observedAt: NotificationFactory.time(10))
    o.add(
      .project,
      [("p1", ObservedResource(snapshot: ResourceSnapshot(projectID: "p1", name: "team-a", state: "present")))])
    let plan = try await store.resync(o, runID: "r")
    #expect(plan.repairs.map(\.kind) == [.filledIn] && plan.drift.total == 0)
    #expect(try await store.read { try await $0.viewEntry(ResourceKey(.project, "p1"))?.snapshot?.name } == "team-a")
  }
}
