import Foundation
import OpenStack
import Testing

@testable import Metering

/// Images in the ledger: Glance's notifications as the test cloud sent them (Fixtures/glance-image-lifecycle.jsonl:
/// `openstack image create --file` of 3,000,000 bytes as steward-demo, a property set, deactivate, reactivate,
/// delete), the intervals they make, their way through both SQL stores, the resync and the usage report.
@Suite struct ImageMeteringTests {
  static let image = ResourceKey(.image, "f277bd8b-36d9-45e9-88d3-dcac3121451d")
  static let owner = "6429662787e04dffa754dba9c24330d0"

  static func lifecycle() throws -> [[UInt8]] {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/glance-image-lifecycle", withExtension: "jsonl"))
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { Array($0.utf8) }
  }

  static func date(_ text: String) throws -> Date { try #require(NotificationTimestamp.parse(text)) }

  @Test func recordedGlanceNotificationsParse() throws {
    let parsed = try Self.lifecycle().map { try OpenStackNotification.parse($0) }
    #expect(
      parsed.map(\.eventType) == [
        "image.create", "image.update", "image.prepare", "image.upload", "image.activate", "image.update",
        "image.update", "image.update", "image.update", "image.delete",
      ])
    var states: [String] = []
    for n in parsed {
      guard case .image(let e) = n.event else {
        #expect(n.eventType == "image.prepare" && n.event == .unknown, "\(n.eventType)")
        continue
      }
      #expect(e.image.id == Self.image.id && e.image.projectID == Self.owner)
      #expect(e.image.name == "steward-rec-img-4380" && e.image.visibility == "shared")
      states.append(e.image.status)
      #expect(n.event.resources == [ResourceReference(kind: .image, id: Self.image.id, projectID: Self.owner)])
    }
    #expect(
      states == ["queued", "saving", "active", "active", "active", "active", "deactivated", "active", "deleted"])
    guard case .image(let create) = parsed[0].event, case .image(let upload) = parsed[3].event,
      case .image(let delete) = parsed[9].event
    else {
      Issue.record("not image events")
      return
    }
    #expect(create.action == .created && create.image.sizeBytes == nil)
    #expect(upload.action == .uploaded && upload.image.sizeBytes == 3_000_000)
    #expect(create.image.createdAt == (try Self.date("2026-11-24T06:36:19Z")))
    #expect(delete.action == .deleted && delete.image.isDeleted && delete.image.deletedAt != nil)
    #expect(parsed[9].observations.map(\.isDeletion) == [true])
  }

  @Test func otherGlanceEventsAreNotFollowed() throws {
    // image.send (a download) and image.member.* describe something else; image.prepare repeats the state.
    let send = #"""
      {"event_type": "image.send", "message_id": "m1", "timestamp": "2026-11-24 06:36:19.000000",
       "payload": {"bytes_sent": 3000000, "image_id": "i", "owner_id": "p", "receiver_tenant_id": "q",
                   "receiver_user_id": "u", "destination_ip": "127.0.0.1"}}
      """#
    let member = #"""
      {"event_type": "image.member.create", "message_id": "m2", "timestamp": "2026-11-24 06:36:19.000000",
       "payload": {"image_id": "i", "member_id": "q", "status": "pending", "deleted": false}}
      """#
    for body in [send, member] { #expect(try OpenStackNotification.parse(Array(body.utf8)).event == .unknown) }
    let negative = #"""
      {"event_type": "image.update", "message_id": "m3", "timestamp": "2026-11-24 06:36:19.000000",
       "payload": {"id": "i", "owner": "p", "status": "active", "size": -1}}
      """#
    #expect(throws: NotificationError.self) { try OpenStackNotification.parse(Array(negative.utf8)) }
    let missingID = #"""
      {"event_type": "image.update", "message_id": "m4", "timestamp": "2026-11-24 06:36:19.000000",
       "payload": {"owner": "p", "status": "active", "size": 1}}
      """#
    #expect(throws: NotificationError.missingField(eventType: "image.update", field: "payload.id")) {
      try OpenStackNotification.parse(Array(missingID.utf8))
    }
  }

  /// The image's rows: known from its creation, holding its 3,000,000 bytes from `image.upload` on, deactivated
  /// and reactivated, closed at `image.delete`'s timestamp; owned by the owner project.
  static func expectRecordedLedger(_ rows: [UsageInterval]) throws {
    #expect(rows.map(\.state) == ["queued", "saving", "active", "deactivated", "active"])
    #expect(rows.map(\.spec.sizeBytes) == [nil, nil, 3_000_000, 3_000_000, 3_000_000])
    #expect(rows.allSatisfy { $0.projectID == owner && $0.key == image })
    #expect(rows[0].start == (try date("2026-11-24 06:36:19.612413")))
    #expect(rows[2].start == (try date("2026-11-24 06:36:19.730790")), "active from image.upload")
    #expect(rows[3].start == (try date("2026-11-24 06:36:26.081585")))
    #expect(rows[4].end == (try date("2026-11-24 06:36:32.881579")), "closed at image.delete")
    for (a, b) in zip(rows, rows.dropFirst()) { #expect(a.end == b.start) }
  }

  @Test func theRecordedLifecycleIsTheLedgerWhateverTheDeliveryOrder() async throws {
    let bodies = try Self.lifecycle()
    var rng = SeededGenerator(seed: 9)
    let reference = try await RecordedStreamTests.ingest(bodies, batchSizes: { _ in 1 }, rng: &rng)
    try Self.expectRecordedLedger(try await reference.read { try await $0.history(of: Self.image).rows })
    #expect(try await reference.read { try await $0.corrections() }.isEmpty)
    let view = try #require(try await reference.read { try await $0.viewEntry(Self.image) })
    #expect(view.snapshot?.name == "steward-rec-img-4380" && view.snapshot?.spec.sizeBytes == 3_000_000)
    #expect(view.deletedAt == (try Self.date("2026-11-24 06:36:32.881579")))
    for seed in 1...8 {
      var rng = SeededGenerator(seed: UInt64(seed))
      var noisy = bodies + bodies.shuffled(using: &rng).prefix(4)
      noisy.shuffle(using: &rng)
      let store = try await RecordedStreamTests.ingest(
        noisy, batchSizes: { Int.random(in: 1...5, using: &$0) }, rng: &rng)
      #expect(try await store.effectiveFacts() == reference.effectiveFacts(), "seed \(seed)")
      #expect(try await store.liveView() == reference.liveView(), "seed \(seed)")
    }
  }

  @Test(arguments: SQLMeteringStoreTests.Backend.allCases)
  func sqlStoresKeepTheImageBytes(backend: SQLMeteringStoreTests.Backend) async throws {
    if backend == .postgres, !MeteringTestDatabases.postgresAvailable { return }
    let bodies = try Self.lifecycle()
    var rng = SeededGenerator(seed: 3)
    let reference = try await RecordedStreamTests.ingest(bodies, batchSizes: { _ in 1 }, rng: &rng)
    for batch in [1, 4, bodies.count] {
      let body: (SQLMeteringStore) async throws -> Void = { store in
        var rng = SeededGenerator(seed: 3)
        try await RecordedStreamTests.ingest(bodies, into: store, batchSizes: { _ in batch }, rng: &rng)
        try Self.expectRecordedLedger(try await store.read { try await $0.history(of: Self.image).rows })
        #expect(try await store.effectiveFacts() == reference.effectiveFacts(), "batches of \(batch)")
        #expect(try await store.liveView() == reference.liveView(), "batches of \(batch)")
        let open = try await store.read { try await $0.openIntervals(kind: .image) }
        #expect(open.isEmpty)
        // A late duplicate of the upload changes nothing.
        _ = try await NotificationIngestor(store: store).ingest([.init(body: bodies[3])])
        #expect(try await store.effectiveFacts() == reference.effectiveFacts())
      }
      switch backend {
      case .sqlite: try await MeteringTestDatabases.withSQLite(body)
      case .postgres: try await MeteringTestDatabases.withPostgres(body)
      }
    }
  }

  @Test func usageCountsTheBytesOnlyWhileStored() async throws {
    let store = InMemoryMeteringStore()
    var rng = SeededGenerator(seed: 1)
    try await RecordedStreamTests.ingest(try Self.lifecycle(), into: store, batchSizes: { _ in 3 }, rng: &rng)
    let report = try await store.usage(
      projectID: Self.owner, from: try Self.date("2026-11-24 00:00:00"), to: try Self.date("2026-11-25 00:00:00"),
      now: try Self.date("2026-11-24 12:00:00"))
    let resource = try #require(report.resources.first { $0.key == Self.image })
    #expect(resource.lines.map(\.billable) == [false, false, true, true])
    // Active or deactivated from 19.730790 to 32.881579: 13.150789 s of 3,000,000 bytes.
    let seconds = 13.150789
    #expect(abs(resource.hours - seconds / 3600) < 1e-9)
    #expect(abs(report.totals.imageGiBHours - seconds / 3600 * 3_000_000 / 1_073_741_824) < 1e-12)
  }

  @Test func aResyncOpensImagesTheNotificationsMissedAndRepairsTheirSize() async throws {
    let store = InMemoryMeteringStore()
    let t0 = try Self.date("2026-11-24 06:00:00")
    _ = try await store.write { w in
      try await w.apply(
        Observation(
          key: ResourceKey(.image, "known"), time: t0, sourceID: "m1",
          snapshot: ResourceSnapshot(projectID: "p", name: "a", state: "active", spec: ResourceSpec(sizeBytes: 10))))
      try await w.apply(
        Observation(
          key: ResourceKey(.image, "gone"), time: t0, sourceID: "m2",
          snapshot: ResourceSnapshot(projectID: "p", name: "b", state: "active", spec: ResourceSpec(sizeBytes: 20))))
    }
    var observed = CloudObservation(observedAt: t0.addingTimeInterval(3600))
    observed.add(
      .image,
      [
        (
          id: "known",
          resource: ObservedResource(
            snapshot: ResourceSnapshot(projectID: "p", name: "a", state: "active", spec: ResourceSpec(sizeBytes: 11)))
        ),
        (
          id: "hidden",
          resource: ObservedResource(
            snapshot: ResourceSnapshot(projectID: "q", name: "c", state: "active", spec: ResourceSpec(sizeBytes: 30)),
            since: t0.addingTimeInterval(600))
        ),
      ])
    let plan = try await store.resync(observed, runID: "r1", now: t0.addingTimeInterval(3601))
    #expect(plan.drift.kinds[.image]?.changed == 1)
    #expect(plan.drift.kinds[.image]?.vanished == 1)
    #expect(plan.drift.kinds[.image]?.unseen == 1)
    #expect(plan.repairs.first { $0.key.id == "known" }?.reason == "size_bytes 10 → 11")
    let hidden = try await store.read { try await $0.history(of: ResourceKey(.image, "hidden")).rows }
    #expect(hidden.map(\.start) == [t0.addingTimeInterval(600)] && hidden.first?.spec.sizeBytes == 30)
    #expect(hidden.first?.projectID == "q" && hidden.first?.end == nil)
    let gone = try await store.read { try await $0.history(of: ResourceKey(.image, "gone")).rows }
    #expect(gone.map(\.end) == [t0.addingTimeInterval(3600)])
    let known = try await store.read { try await $0.history(of: ResourceKey(.image, "known")).rows }
    #expect(known.map(\.spec.sizeBytes) == [10, 11])
  }

  @Test func anImageListedByGlanceMatchesItsNotification() throws {
    // GET /v2/images as the test cloud answers it for the recorded image while it was active.
    let json = #"""
      {"id": "f277bd8b-36d9-45e9-88d3-dcac3121451d", "name": "steward-rec-img-4380", "status": "active",
       "visibility": "shared", "owner": "6429662787e04dffa754dba9c24330d0", "size": 3000000, "virtual_size": null,
       "disk_format": "raw", "container_format": "bare", "min_disk": 0, "min_ram": 0, "protected": false,
       "os_hidden": false, "tags": [], "created_at": "2026-11-24T06:36:19Z", "updated_at": "2026-11-24T06:36:19Z",
       "self": "/v2/images/f277bd8b-36d9-45e9-88d3-dcac3121451d", "schema": "/v2/schemas/image"}
      """#
    let observed = CloudObserver.image(try JSONDecoder().decode(OpenStack.Image.self, from: Data(json.utf8)))
    let upload = try OpenStackNotification.parse(try Self.lifecycle()[3])
    let fromEvent = try #require(upload.observations.first?.snapshot)
    #expect(ResyncPlanner.differencesBetween(view: fromEvent, api: observed.snapshot) == [])
    #expect(observed.snapshot.projectID == Self.owner && observed.snapshot.spec.sizeBytes == 3_000_000)
    #expect(observed.since == (try Self.date("2026-11-24T06:36:19Z")))
  }
}
