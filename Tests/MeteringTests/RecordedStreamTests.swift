import Foundation
import Testing

@testable import Metering

/// A stream recorded from the real test cloud (`scripts/testcloud/record_notifications.py`, see
/// Fixtures/README.md): every message parses, the ledger is what the cloud did, and shuffled,
/// duplicated and batched deliveries of it give the same ledger and view.
@Suite struct RecordedStreamTests {
  /// The recording's message bodies, in arrival order.
  static func recording() throws -> [[UInt8]] {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/recorded-testcloud", withExtension: "jsonl"))
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { Array($0.utf8) }
  }

  // Resources the recording sessions drove (ids are in Fixtures/README.md).
  static let demoProject = "dedaac4f67394341b4a72515bc60f109"
  static let server = ResourceKey(.server, "7b09e8a3-b36e-498b-bc51-3e8d6c91b8b8")
  static let volume = ResourceKey(.volume, "512cfd9a-86f9-4cd0-955f-006f5e92c671")
  static let volumeType = "f52b8c70-ab35-42ce-b1f4-88c60a510ace"
  static let demoUser = "157f4bb10fe0416da03a0c159715da56"
  static let floatingIP = ResourceKey(.floatingIP, "3a638675-cf28-4068-b0b1-ebe8a6a7817a")
  static let stack = ResourceKey(.stack, "93d75983-bdd7-4c80-8001-48ef5bd23bf2")
  static let network = ResourceKey(.network, "3ccb942c-b300-4059-98f0-201a85f70fb3")
  static let port = ResourceKey(.port, "ff67526a-9665-4b0c-a4cb-dc1ba359d235")
  static let project = ResourceKey(.project, "3cb31ca10f52493fa24fd609e6921741")

  static func ingest(_ bodies: [[UInt8]], batchSizes: (inout SeededGenerator) -> Int, rng: inout SeededGenerator)
    async throws -> InMemoryMeteringStore
  {
    let store = InMemoryMeteringStore()
    try await ingest(bodies, into: store, batchSizes: batchSizes, rng: &rng)
    return store
  }

  static func ingest(
    _ bodies: [[UInt8]], into store: some MeteringStore, batchSizes: (inout SeededGenerator) -> Int,
    rng: inout SeededGenerator
  ) async throws {
    let ingestor = NotificationIngestor(store: store)
    var rest = bodies[...]
    while !rest.isEmpty {
      let n = min(rest.count, batchSizes(&rng))
      _ = try await ingestor.ingest(rest.prefix(n).map { NotificationIngestor.Message(body: $0) })
      rest = rest.dropFirst(n)
    }
  }

  static func date(_ text: String) throws -> Date { try #require(NotificationTimestamp.parse(text)) }

  @Test func everyRecordedMessageParses() throws {
    for (i, body) in try Self.recording().enumerated() {
      #expect(throws: Never.self, "line \(i + 1)") { _ = try OpenStackNotification.parse(body) }
    }
  }

  @Test func inArrivalOrderTheLedgerIsWhatTheCloudDid() async throws {
    var rng = SeededGenerator(seed: 0)
    let bodies = try Self.recording()
    let store = try await Self.ingest(bodies, batchSizes: { _ in 1 }, rng: &rng)
    let stats = try await store.read { try await $0.stats() }
    #expect(stats.deadLetters == 0)
    #expect(stats.messagesApplied == bodies.count, "every message recorded once, followed or counted as unknown")

    // The server: building until Nova's update reported it active, active, stopped at power_off.end's update,
    // active again, a resize that found no host (no interval), deleted at terminated_at.
    let server = try await store.read { try await $0.history(of: Self.server).rows }
    // An update stamped 02:19:57.3 still says building, after Nova's launched_at (the whole second
    // 02:19:57): it is placed before the launch, so "building" never reopens.
    #expect(server.map(\.state) == ["building", "active", "stopped", "active"])
    let tiny = ResourceSpec(flavor: "rec-tiny-ad160204", vcpus: 1, memoryMB: 128, diskGB: 1)
    #expect(server.allSatisfy { $0.spec == tiny && $0.projectID == Self.demoProject })
    // create.end says launched_at 02:19:57.510962; Nova stores (and bills from) the whole second. The update
    // that reported the server active (57.559) carries the truncated launched_at and counts from it too.
    #expect(server[1].start == (try Self.date("2026-11-24T02:19:57.000000")), "active from launched_at")
    #expect(
      try await store.read { try await $0.corrections() }.isEmpty,
      "in arrival order the recording needs no ledger correction (none for the server create)")
    #expect(server.last?.end == (try Self.date("2026-11-24T02:22:47.000000")), "closed at terminated_at")
    for (a, b) in zip(server, server.dropFirst()) { #expect(a.end == b.start) }
    let serverView = try await store.read { try await $0.viewEntry(Self.server) }
    #expect(serverView?.deletedAt != nil && serverView?.snapshot?.name == "rec-srv-ad160204")

    // The volume: 1 GB, extended to 2 GB, attached (in-use), detached, deleted.
    let volume = try await store.read { try await $0.history(of: Self.volume).rows }
    #expect(volume.map(\.state) == ["available", "available", "in-use", "available"])
    #expect(volume.map { $0.spec.diskGB } == [1, 2, 2, 2])
    #expect(volume.allSatisfy { $0.spec.flavor == Self.volumeType && $0.projectID == Self.demoProject })
    #expect(volume.last?.end == (try Self.date("2026-11-24 02:22:29.440501")))
    let attached = try await store.read { try await $0.history(of: Self.volume).observations }
    #expect(attached.contains { $0.snapshot?.attachedTo == [Self.server.id] })

    // A floating IP allocated, associated with a port, disassociated, released.
    let fip = try await store.read { try await $0.history(of: Self.floatingIP).rows }
    #expect(fip.map(\.state) == ["allocated", "associated", "allocated"])
    #expect(fip.last?.end != nil && fip.allSatisfy { $0.projectID == Self.demoProject })
    let fipView = try await store.read { try await $0.viewEntry(Self.floatingIP) }
    #expect(fipView?.snapshot?.address == "172.24.4.167" && fipView?.deletedAt != nil)

    // A Heat stack (a rack) created and deleted; Heat's `user_id` is the user's name, the view keeps the id.
    let stack = try #require(try await store.read { try await $0.viewEntry(Self.stack) })
    #expect(stack.snapshot?.name == "rec-stack-52bd9dcb" && stack.snapshot?.projectID == Self.demoProject)
    #expect(stack.snapshot?.userID == Self.demoUser)
    #expect(stack.snapshot?.state == "CREATE_COMPLETE" && stack.deletedAt != nil)

    // Devices and teams: network and port (deleted with their full body since Neutron 2023.1), a project.
    for key in [Self.network, Self.port, Self.project] {
      let view = try await store.read { try await $0.viewEntry(key) }
      #expect(view?.deletedAt != nil, "\(key) created and deleted")
    }
    let port = try await store.read { try await $0.viewEntry(Self.port) }
    #expect(port?.snapshot?.networkID == Self.network.id && port?.snapshot?.name == "rec-port-52bd9dcb")
    #expect(stats.unknownEvents["router.create.end"] == 1 && stats.unknownEvents["compute.instance.update"] == nil)
  }

  @Test(arguments: 1...12)
  func shuffledAndDuplicatedDeliveriesGiveTheSameLedger(seed: Int) async throws {
    let clean = try Self.recording()
    var rng = SeededGenerator(seed: UInt64(seed))
    let reference = try await Self.ingest(clean, batchSizes: { _ in 1 }, rng: &rng)
    let referenceFacts = try await reference.effectiveFacts()
    #expect(!referenceFacts.isEmpty)

    var noisy = clean
    for _ in 0..<(clean.count / 3) { noisy.append(clean.randomElement(using: &rng)!) }
    noisy.shuffle(using: &rng)
    let store = try await Self.ingest(noisy, batchSizes: { Int.random(in: 1...16, using: &$0) }, rng: &rng)
    let facts = try await store.effectiveFacts()
    #expect(
      facts == referenceFacts,
      "missing: \(referenceFacts.subtracting(facts).map(\.description).sorted()) extra: \(facts.subtracting(referenceFacts).map(\.description).sorted())"
    )
    #expect(try await store.liveView() == reference.liveView())
    let stats = try await store.read { try await $0.stats() }
    let referenceStats = try await reference.read { try await $0.stats() }
    #expect(stats.messagesApplied == referenceStats.messagesApplied && stats.deadLetters == 0)
    #expect(stats.unknownEvents == referenceStats.unknownEvents)
  }

  @Test func shuffledAndDuplicatedIntoSQLiteGiveTheSameLedger() async throws {
    let clean = try Self.recording()
    var rng = SeededGenerator(seed: 99)
    let reference = try await Self.ingest(clean, batchSizes: { _ in clean.count }, rng: &rng)
    var noisy = clean + clean.shuffled(using: &rng).prefix(clean.count / 2)
    noisy.shuffle(using: &rng)
    try await MeteringTestDatabases.withSQLite { store in
      try await Self.ingest(noisy, into: store, batchSizes: { Int.random(in: 1...32, using: &$0) }, rng: &rng)
      #expect(try await store.effectiveFacts() == reference.effectiveFacts())
      #expect(try await store.liveView() == reference.liveView())
      let stats = try await store.read { try await $0.stats() }
      #expect(stats.messagesApplied == clean.count && stats.deadLetters == 0)
    }
  }
}
