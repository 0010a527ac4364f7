import Foundation
import Synchronization
import Testing

@testable import Metering

private typealias F = NotificationFactory

/// Records acks as the broker would see them: the highest tag acked with `multiple`.
private final class FakeBroker: Sendable {
  let acks = Mutex<[Int]>([])
  /// The store's committed message count at each ack, to prove acks follow commits.
  let committedAtAck = Mutex<[Int]>([])
  let store: InMemoryMeteringStore

  init(store: InMemoryMeteringStore) { self.store = store }

  struct Message: AcknowledgeableMessage {
    let tag: Int
    let bodyBytes: [UInt8]
    let broker: FakeBroker
    var origin: String? { "nova/notifications.info" }

    func ack(multiple: Bool) async throws {
      #expect(multiple)
      let committed = try await broker.store.read { try await $0.stats().messagesApplied + $0.stats().deadLetters }
      broker.acks.withLock { $0.append(tag) }
      broker.committedAtAck.withLock { $0.append(committed) }
    }
  }

  func messages(_ bodies: [[UInt8]], firstTag: Int = 1) -> [Message] {
    bodies.enumerated().map { Message(tag: firstTag + $0.offset, bodyBytes: $0.element, broker: self) }
  }
}

private struct FailingStore: MeteringStore {
  struct Down: Error {}
  func write<T: Sendable>(_ body: @Sendable (any MeteringWriter) async throws -> T) async throws -> T { throw Down() }
  func read<T: Sendable>(_ body: @Sendable (any MeteringReader) async throws -> T) async throws -> T { throw Down() }
}

@Suite struct NotificationConsumerLoopTests {
  @Test func batchesAreCommittedThenAckedWithMultiple() async throws {
    let store = InMemoryMeteringStore()
    let broker = FakeBroker(store: store)
    let bodies = F.cleanStream()
    let stream = AsyncStream<FakeBroker.Message> { c in
      for m in broker.messages(bodies) { c.yield(m) }
      c.finish()
    }
    let loop = NotificationConsumerLoop(
      ingestor: NotificationIngestor(store: store), maxBatch: 10, maxDelay: .seconds(30))
    try await loop.process(stream)
    let n = bodies.count
    #expect(broker.acks.withLock { $0 } == [10, 20, n])
    #expect(broker.committedAtAck.withLock { $0 } == [10, 20, n], "each ack after its batch committed")
  }

  @Test func aQuietQueueIsFlushedAfterMaxDelay() async throws {
    let store = InMemoryMeteringStore()
    let broker = FakeBroker(store: store)
    let (stream, continuation) = AsyncStream<FakeBroker.Message>.makeStream()
    let loop = NotificationConsumerLoop(
      ingestor: NotificationIngestor(store: store), maxBatch: 100, maxDelay: .milliseconds(50))
    let task = Task { try await loop.process(stream) }
    for m in broker.messages(Array(F.cleanStream().prefix(3))) { continuation.yield(m) }
    var waited = 0
    while broker.acks.withLock({ $0.isEmpty }), waited < 200 {
      try await Task.sleep(for: .milliseconds(25))
      waited += 1
    }
    #expect(broker.acks.withLock { $0 } == [3], "flushed while the stream is still open")
    continuation.finish()
    try await task.value
  }

  @Test func aFailingStoreAcksNothing() async throws {
    let broker = FakeBroker(store: InMemoryMeteringStore())
    let stream = AsyncStream<FakeBroker.Message> { c in
      for m in broker.messages(F.cleanStream()) { c.yield(m) }
      c.finish()
    }
    let loop = NotificationConsumerLoop(ingestor: NotificationIngestor(store: FailingStore()), maxBatch: 5)
    await #expect(throws: FailingStore.Down.self) { try await loop.process(stream) }
    #expect(broker.acks.withLock { $0 }.isEmpty)
  }

  @Test func aCrashMidBurstThenRedeliveryLosesNothingAndCountsNothingTwice() async throws {
    let bodies = F.cleanStream()
    let reference = InMemoryMeteringStore()
    _ = try await NotificationIngestor(store: reference).ingest(bodies.map { .init(body: $0) })

    let store = InMemoryMeteringStore()
    let broker = FakeBroker(store: store)
    // First run: the connection dies after 13 deliveries (batches of 4: 12 committed and acked, the 13th
    // committed but not acked).
    struct ConnectionLost: Error {}
    let first = AsyncThrowingStream<FakeBroker.Message, any Error> { c in
      for m in broker.messages(Array(bodies.prefix(13))) { c.yield(m) }
      c.finish(throwing: ConnectionLost())
    }
    let loop = NotificationConsumerLoop(
      ingestor: NotificationIngestor(store: store), maxBatch: 4, maxDelay: .seconds(30))
    await #expect(throws: ConnectionLost.self) { try await loop.process(first) }
    #expect(broker.acks.withLock { $0 }.last == 12)
    // The broker redelivers everything not acked, then the rest of the burst.
    let second = AsyncStream<FakeBroker.Message> { c in
      for m in broker.messages(Array(bodies.dropFirst(12)), firstTag: 1) { c.yield(m) }
      c.finish()
    }
    try await loop.process(second)
    #expect(try await store.effectiveFacts() == reference.effectiveFacts())
    #expect(try await store.read { try await $0.stats().messagesApplied } == bodies.count)
  }
}
