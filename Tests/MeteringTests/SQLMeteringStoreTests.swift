import Foundation
import Storage
import StorageTestSupport
import Testing

@testable import Metering

private typealias F = NotificationFactory

/// Fresh SQL metering stores on the shared test databases (SQLite file, PostgreSQL database).
enum MeteringTestDatabases {
  static var postgresAvailable: Bool { TestDatabases.postgresAvailable }

  static func withSQLite(_ body: (SQLMeteringStore) async throws -> Void) async throws {
    try await TestDatabases.withSQLite { database, _ in try await body(try await SQLMeteringStore.open(database)) }
  }

  static func withPostgres(_ body: (SQLMeteringStore) async throws -> Void) async throws {
    try await TestDatabases.withPostgres { database, _ in try await body(try await SQLMeteringStore.open(database)) }
  }
}

/// The same behaviour as the in-memory reference, on SQLite and PostgreSQL.
@Suite struct SQLMeteringStoreTests {
  enum Backend: String, CaseIterable, Sendable {
    case sqlite, postgres
  }

  private func with(_ backend: Backend, _ body: (SQLMeteringStore) async throws -> Void) async throws {
    switch backend {
    case .sqlite: try await MeteringTestDatabases.withSQLite(body)
    case .postgres:
      guard MeteringTestDatabases.postgresAvailable else { return }
      try await MeteringTestDatabases.withPostgres(body)
    }
  }

  @Test(arguments: Backend.allCases)
  func noisyStreamsGiveTheCleanLedgerAndViewAndNeverRewriteRows(backend: Backend) async throws {
    let clean = F.cleanStream()
    let reference = InMemoryMeteringStore()
    _ = try await NotificationIngestor(store: reference).ingest(clean.map { .init(body: $0) })
    for seed in 1...3 {
      var rng = SeededGenerator(seed: UInt64(seed))
      var noisy = clean + clean.shuffled(using: &rng).prefix(10) + [Array("garbage".utf8)]
      noisy.shuffle(using: &rng)
      try await with(backend) { store in
        let ingestor = NotificationIngestor(store: store)
        var rest = noisy[...]
        var seen: [Int64: UsageInterval] = [:]
        while !rest.isEmpty {
          let n = min(rest.count, Int.random(in: 1...6, using: &rng))
          _ = try await ingestor.ingest(rest.prefix(n).map { .init(body: $0) })
          rest = rest.dropFirst(n)
          for row in try await store.read({ try await $0.allIntervals() }) {
            if let old = seen[row.id], old.end != nil { #expect(row == old, "closed row \(row.id) was rewritten") }
            seen[row.id] = row
          }
        }
        #expect(try await store.effectiveFacts() == reference.effectiveFacts())
        #expect(try await store.liveView() == reference.liveView())
        let stats = try await store.read { try await $0.stats() }
        #expect(stats.messagesApplied == clean.count && stats.deadLetters == 1)
        #expect(stats.unknownEvents == ["compute.instance.exists": 2])
        let usage = try await store.usage(projectID: "p1", from: F.time(60), to: F.time(180), now: F.time(1000))
        #expect(abs(usage.totals.instanceHours - 4.0) < 1e-9 && abs(usage.totals.volumeGBHours - 35.0) < 1e-9)
      }
    }
  }

  @Test(arguments: Backend.allCases)
  func lateEventsAreCorrectionsAndResyncsAreRecorded(backend: Backend) async throws {
    try await with(backend) { store in
      let ingestor = NotificationIngestor(store: store)
      _ = try await ingestor.ingest([
        .init(body: F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10)),
        .init(body: F.instance("3", "delete", server: "s1", project: "p", flavor: .small, state: "deleted", at: 100)),
      ])
      let summary = try await ingestor.ingest([
        .init(body: F.instance("2", "power_off", server: "s1", project: "p", flavor: .small, state: "stopped", at: 40))
      ])
      #expect(summary.corrections == 1)
      let corrections = try await store.read { try await $0.corrections() }
      #expect(corrections.count == 1 && corrections[0].replaced == [1] && corrections[0].sourceID == "2")
      let rows = try await store.read { try await $0.history(of: ResourceKey(.server, "s1")).rows }
      #expect(rows.map(\.state) == ["active", "stopped"] && rows.allSatisfy { $0.correctionID == corrections[0].id })
      #expect(try await store.read { try await $0.allIntervals() }.count == 3)

      var o = CloudObservation(observedAt: F.time(200))
      o.add(
        .server,
        [("s9", ObservedResource(snapshot: ResourceSnapshot(projectID: "p", state: "active"), since: F.time(150)))])
      let plan = try await store.resync(o, runID: "r1", now: F.time(201))
      #expect(plan.repairs.map(\.kind) == [.unseen])
      let stats = try await store.read { try await $0.stats() }
      #expect(stats.lastResync?.drift.kinds[.server]?.unseen == 1 && stats.openIntervals == 1)
      let letters = try await store.read { try await $0.deadLetters(limit: 5) }
      #expect(letters.isEmpty)
    }
  }

  /// Whoever writes to the database, closed history stays as it is: only an open row may be closed, and no
  /// ledger row, correction or replacement may be deleted.
  @Test(arguments: Backend.allCases)
  func theDatabaseRefusesEditsOfClosedHistory(backend: Backend) async throws {
    try await with(backend) { store in
      _ = try await NotificationIngestor(store: store).ingest([
        .init(body: F.instance("1", "create", server: "s1", project: "p", flavor: .small, state: "active", at: 10)),
        .init(body: F.instance("2", "delete", server: "s1", project: "p", flavor: .small, state: "deleted", at: 100)),
        .init(body: F.instance("3", "create", server: "s2", project: "p", flavor: .small, state: "active", at: 20)),
        .init(body: F.instance("4", "power_off", server: "s1", project: "p", flavor: .small, state: "stopped", at: 40)),
      ])
      let rows = try await store.read { try await $0.allIntervals() }
      let closed = try #require(rows.first { $0.end != nil })
      let open = try #require(rows.first { $0.end == nil })
      func refused(_ sql: String, _ bindings: [SQLValue]) async {
        await #expect(throws: (any Error).self, "\(sql)") {
          try await store.database.write { db in try await db.execute(sql, bindings) }
        }
      }
      await refused("UPDATE metering_intervals SET end_at = end_at + 1 WHERE id = ?", [.integer(closed.id)])
      await refused("UPDATE metering_intervals SET state = 'stopped' WHERE id = ?", [.integer(open.id)])
      await refused("UPDATE metering_intervals SET project_id = 'other' WHERE id = ?", [.integer(open.id)])
      await refused("DELETE FROM metering_intervals WHERE id = ?", [.integer(closed.id)])
      await refused("DELETE FROM metering_corrections", [])
      await refused("UPDATE metering_replaced SET correction_id = correction_id + 1", [])
      #expect(try await store.read { try await $0.allIntervals() } == rows)
      // Closing an open row is what the store does, and stays allowed.
      let changed = try await store.database.write { db in
        try await db.execute(
          "UPDATE metering_intervals SET end_at = ?, closed_by = 'test' WHERE id = ? AND end_at IS NULL",
          [.date(F.time(300)), .integer(open.id)])
      }
      #expect(changed == 1)
    }
  }

  @Test func migrationsApplyOnceAndReopenCleanly() async throws {
    try await MeteringTestDatabases.withSQLite { store in
      #expect(try await Migrator.versions(store.database)["metering"] == 5)
      let again = try await Migrator.migrate(store.database, [SQLMeteringStore.migrations])
      #expect(again.isEmpty)
    }
  }
}
