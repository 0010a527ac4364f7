import Foundation
import Testing

@testable import Metering

private typealias F = NotificationFactory

private func ingest(_ store: InMemoryMeteringStore, _ bodies: [[UInt8]]) async throws -> NotificationIngestor.Summary {
  try await NotificationIngestor(store: store).ingest(bodies.map { NotificationIngestor.Message(body: $0) })
}

private func rows(_ store: InMemoryMeteringStore, _ key: ResourceKey) async throws -> [UsageInterval] {
  try await store.read { try await $0.history(of: key).rows }
}

private func minutes(_ d: Date?) -> Double? { d.map { $0.timeIntervalSince(F.base) / 60 } }

@Suite struct LedgerEngineTests {
  let s1 = ResourceKey(.server, "s1")

  @Test func lifecycleSplitsIntervalsAtEveryTransition() async throws {
    let store = InMemoryMeteringStore()
    _ = try await ingest(
      store,
      [
        F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10, launchedAt: 9),
        F.instance("2", "power_off", server: "s1", project: "p", flavor: .small, state: "stopped", at: 60),
        F.instance("3", "power_on", server: "s1", project: "p", flavor: .small, state: "active", at: 90),
        F.instance("4", "finish_resize", server: "s1", project: "p", flavor: .large, state: "resized", at: 120),
        F.instance("5", "resize.confirm", server: "s1", project: "p", flavor: .large, state: "active", at: 125),
        F.instance("6", "update", server: "s1", project: "p", flavor: .large, state: "active", at: 130),
        F.instance(
          "7", "shelve_offload", server: "s1", project: "p", flavor: .large, state: "shelved_offloaded", at: 150),
        F.instance(
          "8", "delete", server: "s1", project: "p", flavor: .large, state: "deleted", at: 181, terminatedAt: 180),
      ])
    let r = try await rows(store, s1)
    #expect(r.map(\.state) == ["active", "stopped", "active", "resized", "active", "shelved_offloaded"])
    #expect(r.map { minutes($0.start) } == [9, 60, 90, 120, 125, 150], "create counts from launched_at")
    #expect(r.map { minutes($0.end) } == [60, 90, 120, 125, 150, 180], "delete closes at terminated_at")
    #expect(r.map(\.spec.flavor) == ["SCS-1V-2", "SCS-1V-2", "SCS-1V-2", "SCS-4V-8", "SCS-4V-8", "SCS-4V-8"])
    #expect(r[0].openedBy == "1" && r[0].closedBy == "2" && r[5].closedBy == "8")
    #expect(try await store.read { try await $0.corrections() }.isEmpty, "an in-order stream needs no corrections")
    let view = try #require(try await store.read { try await $0.viewEntry(s1) })
    #expect(view.deletedAt == minutesDate(180) && view.snapshot?.state == "shelved_offloaded")
  }

  @Test func inOrderTransitionsOnlyCloseTheOpenRow() async throws {
    let store = InMemoryMeteringStore()
    _ = try await ingest(
      store, [F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10)])
    let before = try await store.read { try await $0.allIntervals() }
    _ = try await ingest(
      store, [F.instance("2", "power_off", server: "s1", project: "p", flavor: .small, state: "stopped", at: 20)])
    let after = try await store.read { try await $0.allIntervals() }
    #expect(after.count == 2)
    var closed = before[0]
    closed.end = minutesDate(20)
    closed.closedBy = "2"
    #expect(after[0] == closed, "the open row got its end and nothing else")
  }

  @Test func lateEventInsideClosedHistoryIsACorrectionNotAnEdit() async throws {
    let store = InMemoryMeteringStore()
    _ = try await ingest(
      store,
      [
        F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10),
        F.instance("3", "delete", server: "s1", project: "p", flavor: .small, state: "deleted", at: 100),
      ])
    let original = try await store.read { try await $0.allIntervals() }
    #expect(original.count == 1 && minutes(original[0].end) == 100)
    let summary = try await ingest(
      store,
      [
        F.instance("2", "power_off", server: "s1", project: "p", flavor: .small, state: "stopped", at: 40)
      ])
    #expect(summary.corrections == 1)
    let r = try await rows(store, s1)
    #expect(r.map(\.state) == ["active", "stopped"])
    #expect(r.map { minutes($0.start) } == [10, 40] && r.map { minutes($0.end) } == [40, 100])
    let all = try await store.read { try await $0.allIntervals() }
    #expect(all.first == original[0], "the replaced row is still there, untouched")
    let corrections = try await store.read { try await $0.corrections() }
    #expect(corrections.count == 1 && corrections[0].replaced == [original[0].id] && corrections[0].sourceID == "2")
    #expect(r.allSatisfy { $0.correctionID == corrections[0].id })
  }

  @Test func lateEventInsideTheOpenRowSplitsIt() async throws {
    let store = InMemoryMeteringStore()
    _ = try await ingest(
      store,
      [
        F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10),
        F.instance("3", "update", server: "s1", project: "p", flavor: .small, state: "active", at: 50),
        F.instance("2", "power_off", server: "s1", project: "p", flavor: .small, state: "stopped", at: 30),
      ])
    // The update at 50 still says active, so the server was stopped only from 30 to 50.
    let r = try await rows(store, s1)
    #expect(r.map(\.state) == ["active", "stopped", "active"])
    #expect(r.map { minutes($0.start) } == [10, 30, 50])
    #expect(r.map { minutes($0.end) } == [30, 50, nil])
    #expect(try await store.read { try await $0.corrections() }.isEmpty, "closing the open row is not a correction")
  }

  @Test func aLateOlderEventNeverReopensADeletedResource() async throws {
    let store = InMemoryMeteringStore()
    _ = try await ingest(
      store,
      [
        F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10),
        F.instance("2", "delete", server: "s1", project: "p", flavor: .small, state: "deleted", at: 100),
        // Clock skew between services: an update stamped after the delete.
        F.instance("3", "update", server: "s1", project: "p", flavor: .small, state: "active", at: 110),
        // A late update with nothing new.
        F.instance("4", "update", server: "s1", project: "p", flavor: .small, state: "active", at: 50),
      ])
    let r = try await rows(store, s1)
    #expect(r.count == 1 && minutes(r[0].end) == 100)
    #expect(try await store.read { try await $0.openIntervals(kind: nil) }.isEmpty)
    #expect(try await store.read { try await $0.viewEntry(s1)?.isLive } == false)
  }

  @Test func deleteArrivingBeforeCreateGivesTheSameInterval() async throws {
    let store = InMemoryMeteringStore()
    _ = try await ingest(
      store,
      [
        F.instance("2", "delete", server: "s1", project: "p", flavor: .small, state: "deleted", at: 100),
        F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10),
      ])
    let r = try await rows(store, s1)
    #expect(r.count == 1 && minutes(r[0].start) == 10 && minutes(r[0].end) == 100 && r[0].state == "active")
  }

  @Test func duplicatesAndUnknownsAreCountedNotApplied() async throws {
    let store = InMemoryMeteringStore()
    let create = F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10)
    let first = try await ingest(store, [create, create, F.unknown("x", at: 11), F.unknown("x", at: 11)])
    #expect(first.applied == 1 && first.duplicates == 2 && first.unknown == 1)
    let again = try await ingest(store, [create])
    #expect(again.duplicates == 1 && again.applied == 0)
    let stats = try await store.read { try await $0.stats() }
    #expect(stats.unknownEvents == ["compute.instance.exists": 1] && stats.messagesApplied == 2)
    #expect(try await rows(store, s1).count == 1)
  }

  @Test func malformedMessagesAreDeadLetteredOnceAndDoNotBlockTheBatch() async throws {
    let store = InMemoryMeteringStore()
    let bad = Array(#"{"oslo.version": "2.0", "oslo.message": "{broken"}"#.utf8)
    let summary = try await ingest(
      store,
      [
        bad, F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10), bad,
        Array(
          #"{"event_type": "volume.create.end", "message_id": "m", "timestamp": "2024-05-14 09:00:00", "payload": {"volume_id": "v", "tenant_id": "p"}}"#
            .utf8),
      ])
    #expect(summary.deadLettered == 3 && summary.applied == 1)
    let letters = try await store.read { try await $0.deadLetters(limit: 10) }
    #expect(letters.count == 2, "the same body twice is one dead letter")
    #expect(letters[1].error == "volume.create.end: missing field payload.size")
  }

  @Test func sameInstantObservationsLeaveNoZeroLengthRows() async throws {
    let store = InMemoryMeteringStore()
    _ = try await ingest(
      store,
      [
        F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10),
        F.instance("3", "update", server: "s1", project: "p", flavor: .small, state: "active", at: 20),
        F.instance("2", "power_off", server: "s1", project: "p", flavor: .small, state: "stopped", at: 20),
      ])
    // At 20 both arrive; ties break by message id ("2" then "3"), so the server ends active with no 0-length row.
    let r = try await rows(store, s1)
    #expect(r.count == 1 && r[0].end == nil && r[0].state == "active")
  }

  @Test func floatingIPsAndVolumesFollowTheirStates() async throws {
    let store = InMemoryMeteringStore()
    _ = try await ingest(
      store,
      [
        F.floatingIP("f1", "create", fip: "ip", project: "p", port: nil, at: 0),
        F.floatingIP("f2", "update", fip: "ip", project: "p", port: "port", at: 10),
        F.floatingIP("f3", "delete", fip: "ip", project: "p", port: nil, at: 30),
        F.volume("v1", "create", volume: "v", project: "p", size: 10, status: "available", at: 0),
        F.volume("v2", "resize", volume: "v", project: "p", size: 30, status: "available", at: 60),
      ])
    let fip = try await rows(store, ResourceKey(.floatingIP, "ip"))
    #expect(fip.map(\.state) == ["allocated", "associated"] && minutes(fip[1].end) == 30)
    let vol = try await rows(store, ResourceKey(.volume, "v"))
    #expect(vol.map(\.spec.diskGB) == [10, 30] && vol[1].end == nil)
  }
}

func minutesDate(_ m: Double) -> Date { NotificationFactory.time(m) }
