import AMQP
import Foundation
import Metering
import Storage
import Testing

/// The consumer against the test cloud's RabbitMQ into a SQLite store: reordered, duplicated and malformed
/// messages on Steward's own queue end in the clean ledger, and every delivery is acked after its commit.
@Suite("Metering consumer on the real broker", .testCloud)
struct MeteringConsumerTests {
  static func instance(_ id: String, _ action: String, server: String, state: String, minute: Int) -> [UInt8] {
    let stamp = String(format: "2024-05-14 10:%02d:00.000000", minute)
    let type = "compute.instance.\(action).end"
    let message =
      #"{"message_id": "\#(id)", "event_type": "\#(type)", "publisher_id": "compute.host1", "priority": "INFO", "timestamp": "\#(stamp)", "payload": {"instance_id": "\#(server)", "tenant_id": "p-meter", "user_id": "u-1", "instance_type": "SCS-1V-2", "vcpus": 1, "memory_mb": 2048, "root_gb": 10, "ephemeral_gb": 0, "state": "\#(state)", "launched_at": "", "deleted_at": "", "metadata": {}}}"#
    return NotificationConsumptionTests.envelope(message)
  }

  @Test func noisyStreamThroughRabbitMQGivesTheCleanLedgerAndIsFullyAcked() async throws {
    let nova = TestCloud.name("nova")
    let queue = TestCloud.name("metering")
    let path = NSTemporaryDirectory() + "steward-metering-\(UUID().uuidString.prefix(8)).sqlite"
    defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
    let database = try await DatabaseOpener.open(path)
    let store = try await SQLMeteringStore.open(database)

    let servers = 20
    var clean: [[UInt8]] = []
    for i in 0..<servers {
      clean.append(Self.instance("c\(i)", "create", server: "s\(i)", state: "active", minute: i))
      clean.append(Self.instance("o\(i)", "power_off", server: "s\(i)", state: "stopped", minute: i + 30))
    }
    var noisy: [[UInt8]] = Array(clean.reversed())
    noisy += clean.prefix(10)
    noisy.append(Array("{not json".utf8))
    noisy.swapAt(0, noisy.count - 1)

    let consumer = AMQPConsumer(
      configuration: try TestBroker.configuration(),
      topology: .notifications(queue: queue, exchanges: [nova], prefetch: 16))
    let loop = NotificationConsumerLoop(
      ingestor: NotificationIngestor(store: store), maxBatch: 8, maxDelay: .milliseconds(100))
    let run = Task { try await MeteringConsumer(consumer: consumer, loop: loop).run() }
    try await TestBroker.with { c in
      let publisher = try await c.openChannel()
      for _ in 0..<400 where consumer.status.sessions == 0 { try await Task.sleep(for: .milliseconds(50)) }
      try await publisher.confirmSelect()
      for body in noisy {
        try await publisher.basicPublish(body, exchange: nova, routingKey: "notifications.info")
      }
    }
    var stats = MeteringStats()
    for _ in 0..<400 {
      stats = try await store.read { try await $0.stats() }
      if stats.messagesApplied == clean.count && stats.deadLetters == 1 { break }
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(stats.messagesApplied == clean.count && stats.deadLetters == 1)
    // Let the last batch's ack reach the broker, then stop.
    try await Task.sleep(for: .milliseconds(500))
    run.cancel()
    _ = try? await run.value

    let rows = try await store.read {
      try await $0.intervals(projectID: "p-meter", kind: .server, from: .distantPast, to: .distantFuture)
    }
    #expect(rows.count == 2 * servers)
    for i in 0..<servers {
      let mine = rows.filter { $0.key.id == "s\(i)" }
      #expect(mine.map(\.state) == ["active", "stopped"])
      #expect(mine.first?.end == mine.last?.start && mine.last?.end == nil)
    }
    try await TestBroker.with { c in
      let ch = try await c.openChannel()
      let leftover = try await ch.queueDelete(queue)
      #expect(leftover == 0, "every delivery acked after its commit")
      try await ch.exchangeDelete(nova)
    }
    await database.close()
  }
}
