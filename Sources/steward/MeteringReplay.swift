import ArgumentParser
import Foundation
import Metering
import StewardCore

extension MeteringCommand {
  /// Applies recorded bodies exactly as the consumer applies deliveries (same ingestor, same batching,
  /// one transaction per batch), so a recording can be re-imported into a store and the apply path measured
  /// without a broker.
  struct Replay: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "replay",
      abstract: "Apply recorded notification bodies (one AMQP body per line) to the store, as the consumer would.",
      discussion: """
        Lines are applied in file order in batches of --batch, each batch in one transaction: duplicates \
        (by message_id) are skipped, malformed lines become dead letters. Reports messages per second and \
        the per-batch apply latency (a message is durable when its batch commits).
        """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "Messages per transaction (the consumer's default).") var batch = 1024
    @Argument(help: "JSON-lines files, e.g. from scripts/testcloud/record_notifications.py.") var files: [String]

    func execute() async throws {
      guard batch > 0 else { throw ValidationError("--batch must be positive") }
      var bodies: [[UInt8]] = []
      for file in files {
        guard let data = FileManager.default.contents(atPath: file) else {
          throw ValidationError("cannot read \(file)")
        }
        bodies += data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map { Array($0) }
      }
      let batchSize = batch
      let (summary, latencies, elapsed) = try await store.withStore { store in
        let ingestor = NotificationIngestor(store: store)
        var summary = NotificationIngestor.Summary()
        var latencies: [Duration] = []
        let clock = ContinuousClock()
        let start = clock.now
        // As the consumer does: batch N+1 is parsed while batch N commits. A batch's latency runs from the
        // start of its parsing to its commit.
        func parse(from index: Int) -> (Task<NotificationIngestor.ParsedBatch, Never>, ContinuousClock.Instant, Int)? {
          guard index < bodies.count else { return nil }
          let end = min(index + batchSize, bodies.count)
          let messages = bodies[index..<end].map { NotificationIngestor.Message(body: $0, origin: "replay") }
          return (Task { await NotificationIngestor.parse(messages) }, clock.now, end)
        }
        var next = parse(from: 0)
        while let (parsing, batchStart, end) = next {
          let parsed = await parsing.value
          next = parse(from: end)
          summary = summary + (try await ingestor.ingest(parsed))
          latencies.append(clock.now - batchStart)
        }
        return (summary, latencies.sorted(), clock.now - start)
      }
      func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
      }
      func percentile(_ p: Double) -> Double {
        latencies.isEmpty ? 0 : seconds(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) * 1000
      }
      let total = seconds(elapsed)
      let record: Record = [
        "Messages": .int(bodies.count), "Applied": .int(summary.applied), "Duplicates": .int(summary.duplicates),
        "Unknown": .int(summary.unknown), "Dead Letters": .int(summary.deadLettered),
        "Observations": .int(summary.observations), "Corrections": .int(summary.corrections),
        "Seconds": .double((total * 1000).rounded() / 1000),
        "Messages/s": .int(total > 0 ? Int(Double(bodies.count) / total) : 0),
        "Batches": .int(latencies.count),
        "Batch p50 ms": .double((percentile(0.5) * 100).rounded() / 100),
        "Batch p99 ms": .double((percentile(0.99) * 100).rounded() / 100),
      ]
      output(Renderer.show(record, format: global.format))
    }
  }
}
