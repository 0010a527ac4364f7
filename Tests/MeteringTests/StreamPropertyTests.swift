import Foundation
import Testing

@testable import Metering

/// Duplicated, reordered and malformed streams, delivered in batches of any size, must leave the same
/// effective ledger and view as the clean stream, and never edit closed history on the way.
@Suite struct StreamPropertyTests {
  private func run(_ bodies: [[UInt8]], batchSizes: (inout SeededGenerator) -> Int, rng: inout SeededGenerator)
    async throws -> InMemoryMeteringStore
  {
    let store = InMemoryMeteringStore()
    let ingestor = NotificationIngestor(store: store)
    var rest = bodies[...]
    var seen: [Int64: UsageInterval] = [:]
    while !rest.isEmpty {
      let n = min(rest.count, batchSizes(&rng))
      _ = try await ingestor.ingest(rest.prefix(n).map { NotificationIngestor.Message(body: $0) })
      rest = rest.dropFirst(n)
      // Append-only: a row once written keeps its facts; only an open row may get an end.
      for row in try await store.read({ try await $0.allIntervals() }) {
        if let old = seen[row.id] {
          var expected = old
          if old.end == nil {
            expected.end = row.end
            expected.closedBy = row.closedBy
          }
          #expect(row == expected, "row \(row.id) was rewritten")
        }
        seen[row.id] = row
      }
    }
    return store
  }

  @Test(arguments: 1...40)
  func shuffledDuplicatedAndMalformedStreamsGiveTheCleanLedger(seed: Int) async throws {
    let clean = NotificationFactory.cleanStream()
    var rng = SeededGenerator(seed: UInt64(seed))
    let reference = try await run(clean, batchSizes: { _ in clean.count }, rng: &rng)
    let referenceFacts = try await reference.effectiveFacts()
    #expect(referenceFacts.count == 17, "s1: 5, s2: 4, s3: 1, vol1: 4, fip1: 3")

    var noisy = clean
    for _ in 0..<(clean.count / 2) { noisy.append(clean.randomElement(using: &rng)!) }
    noisy.append(Array("not json".utf8))
    noisy.append(Array(#"{"oslo.version": "2.0", "oslo.message": "{\"event_type\": \"volume.create.end\"}"}"#.utf8))
    noisy.shuffle(using: &rng)
    let store = try await run(noisy, batchSizes: { Int.random(in: 1...7, using: &$0) }, rng: &rng)
    let facts = try await store.effectiveFacts()
    #expect(
      facts == referenceFacts,
      "missing: \(referenceFacts.subtracting(facts).sorted { $0.description < $1.description }) extra: \(facts.subtracting(referenceFacts).sorted { $0.description < $1.description })"
    )
    #expect(try await store.liveView() == reference.liveView())
    let stats = try await store.read { try await $0.stats() }
    #expect(stats.deadLetters == 2 && stats.messagesApplied == clean.count)
    #expect(stats.unknownEvents == ["compute.instance.exists": 2])
  }

  @Test func cleanStreamLedgerIsWhatTheEventsSay() async throws {
    var rng = SeededGenerator(seed: 0)
    let store = try await run(NotificationFactory.cleanStream(), batchSizes: { _ in 1 }, rng: &rng)
    let s2 = try await store.read { try await $0.history(of: ResourceKey(.server, "s2")).rows }
    #expect(s2.map(\.state) == ["active", "suspended", "active", "shelved_offloaded"])
    let view = try await store.read { try await $0.viewEntry(ResourceKey(.server, "s3")) }
    #expect(view?.snapshot?.stackID == "st1")
    let projects = try await store.read {
      try await $0.viewEntries(kind: .project, projectID: nil, includeDeleted: false)
    }
    #expect(projects.map(\.key.id) == ["p1", "p2"])
  }
}
