import Foundation
import Storage
import Testing

@testable import Metering

private typealias F = NotificationFactory

/// The SQL stores' batched apply (heads prefetched, writes buffered, late events through the full history in
/// the middle of a batch) against the in-memory reference, with whole noisy streams in one batch.
@Suite struct SQLBatchApplyTests {
  private func with(_ backend: SQLMeteringStoreTests.Backend, _ body: (SQLMeteringStore) async throws -> Void)
    async throws
  {
    switch backend {
    case .sqlite: try await MeteringTestDatabases.withSQLite(body)
    case .postgres:
      guard MeteringTestDatabases.postgresAvailable else { return }
      try await MeteringTestDatabases.withPostgres(body)
    }
  }

  @Test(arguments: SQLMeteringStoreTests.Backend.allCases)
  func bigNoisyBatchesGiveTheReferenceLedger(backend: SQLMeteringStoreTests.Backend) async throws {
    let clean = F.cleanStream()
    let reference = InMemoryMeteringStore()
    _ = try await NotificationIngestor(store: reference).ingest(clean.map { .init(body: $0) })
    for seed in 1...4 {
      var rng = SeededGenerator(seed: UInt64(seed))
      var noisy = clean + clean.shuffled(using: &rng).prefix(12)
      noisy.shuffle(using: &rng)
      try await with(backend) { store in
        let ingestor = NotificationIngestor(store: store)
        var rest = noisy[...]
        while !rest.isEmpty {
          let n = min(rest.count, Int.random(in: 10...60, using: &rng))
          _ = try await ingestor.ingest(rest.prefix(n).map { .init(body: $0) })
          rest = rest.dropFirst(n)
        }
        #expect(try await store.effectiveFacts() == reference.effectiveFacts(), "seed \(seed)")
        #expect(try await store.liveView() == reference.liveView(), "seed \(seed)")
        let stats = try await store.read { try await $0.stats() }
        #expect(stats.messagesApplied == clean.count)
        #expect(stats.unknownEvents == ["compute.instance.exists": 2])
      }
    }
  }

  @Test(arguments: SQLMeteringStoreTests.Backend.allCases)
  func oneBatchOpensAndClosesRowsItInserted(backend: SQLMeteringStoreTests.Backend) async throws {
    try await with(backend) { store in
      let summary = try await NotificationIngestor(store: store).ingest(
        [
          F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10),
          F.instance("2", "power_off", server: "s1", project: "p", flavor: .small, state: "stopped", at: 20),
          F.instance("3", "power_on", server: "s1", project: "p", flavor: .small, state: "active", at: 30),
          // Late, in the same batch: the buffered rows are written before the full history decides.
          F.instance("4", "suspend", server: "s1", project: "p", flavor: .small, state: "suspended", at: 25),
          F.instance("5", "delete", server: "s1", project: "p", flavor: .small, state: "deleted", at: 40),
        ].map { .init(body: $0) })
      #expect(summary.applied == 5 && summary.corrections == 1)
      let rows = try await store.read { try await $0.history(of: ResourceKey(.server, "s1")).rows }
      #expect(rows.map(\.state) == ["active", "stopped", "suspended", "active"])
      #expect(rows.map { $0.start } == [F.time(10), F.time(20), F.time(25), F.time(30)])
      #expect(rows.map { $0.end } == [F.time(20), F.time(25), F.time(30), F.time(40)])
      let all = try await store.read { try await $0.allIntervals() }
      #expect(all.count == 6, "3 rows buffered (2 inserted closed), 2 of them replaced by the late event, 3 new")
    }
  }

  @Test(arguments: SQLMeteringStoreTests.Backend.allCases)
  func prunedMessageIdsRedeliveredChangeNothing(backend: SQLMeteringStoreTests.Backend) async throws {
    try await with(backend) { store in
      let bodies = [
        F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10),
        F.instance("2", "power_off", server: "s1", project: "p", flavor: .small, state: "stopped", at: 20),
      ]
      let day: TimeInterval = 86_400
      let clock = TestClock(F.time(30))
      let ingestor = NotificationIngestor(
        store: store, retention: MessageRetention(window: 7 * day, every: 0), clock: { clock.now })
      _ = try await ingestor.ingest(bodies.map { .init(body: $0) })
      let before = try await store.effectiveFacts()
      clock.now = F.time(30).addingTimeInterval(8 * day)
      let later = try await ingestor.ingest([.init(body: F.unknown("9", at: 30 + 8 * 1440))])
      #expect(later.prunedMessageIDs == 2)
      #expect(try await store.read { try await $0.recordedMessageIDs(["1", "2", "9"]) } == ["9"])
      let again = try await ingestor.ingest(bodies.map { .init(body: $0) })
      #expect(again.applied == 2 && again.corrections == 0, "forgotten ids are applied again ...")
      #expect(try await store.effectiveFacts() == before, "... and the per-resource sources keep the ledger")
      #expect(try await store.read { try await $0.allIntervals() }.count == 2)
    }
  }
}

final class TestClock: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Date
  init(_ start: Date) { value = start }
  var now: Date {
    get { lock.withLock { value } }
    set { lock.withLock { value = newValue } }
  }
}
