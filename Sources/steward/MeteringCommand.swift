import AMQP
import ArgumentParser
import Dispatch
import Foundation
import Logging
import Metering
import OpenStack
import StewardCore
import Storage

/// `steward metering …`: follow the cloud into a usage ledger (notifications plus resyncs), inspect it,
/// and report usage.
struct MeteringCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "metering", abstract: "Usage metering: notification consumer, resync, status and usage reports.",
    subcommands: [Run.self, Sync.self, Status.self, Usage.self, Replay.self])

  struct StoreOptions: ParsableArguments {
    @Option(
      help:
        "SQLite file path, or postgres://user:password@host:port/db (default: $STEWARD_DATABASE or ./steward-metering.sqlite)."
    )
    var database: String?

    func withStore<T: Sendable>(_ body: (SQLMeteringStore) async throws -> T) async throws -> T {
      let location = database ?? ProcessInfo.processInfo.environment["STEWARD_DATABASE"] ?? "steward-metering.sqlite"
      let db: any Database
      do {
        db = try await DatabaseOpener.open(location)
      } catch let error as StorageError where error.kind == .configuration {
        throw ValidationError(error.message)
      }
      do {
        let result = try await body(try await SQLMeteringStore.open(db))
        await db.close()
        return result
      } catch {
        await db.close()
        throw error
      }
    }
  }

  static func date(_ text: String?, _ option: String, default value: Date) throws -> Date {
    guard let text else { return value }
    guard let date = OpenStackDate.parse(text) else {
      throw ValidationError("\(option) '\(text)' is not a date; use ISO 8601 such as 2026-11-01T00:00:00Z")
    }
    return date
  }

  static func repairRecord(_ r: ResyncPlan.Repair) -> Record {
    [
      "Kind": .string(r.key.kind.rawValue), "ID": .string(r.key.id), "Repair": .string(r.kind.rawValue),
      "Reason": .string(r.reason),
    ]
  }

  /// Lists the cloud and repairs the ledger; returns the plan and the kinds that could not be listed.
  static func resync(session: Session, store: SQLMeteringStore, dryRun: Bool) async throws -> (
    ResyncPlan, [ResourceReference.Kind: String]
  ) {
    let observed = await CloudObserver(session: session).observe()
    let plan = try await store.resync(
      observed.observation, runID: UUID().uuidString.lowercased(), dryRun: dryRun)
    return (plan, observed.failures)
  }

  struct Sync: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "sync",
      abstract: "Resync the view and ledger from the APIs (all projects; needs an admin cloud), repairing drift.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: StoreOptions
    @Flag(help: "Show the repairs without applying them.") var dryRun = false

    func execute() async throws {
      let (plan, failures) = try await store.withStore { store in
        try await global.withSession { session in
          try await MeteringCommand.resync(session: session, store: store, dryRun: dryRun)
        }
      }
      for (kind, reason) in failures.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
        FileHandle.standardError.write(Data("warning: \(kind.rawValue) not listed (not diffed): \(reason)\n".utf8))
      }
      output(
        Renderer.list(
          plan.repairs.map(MeteringCommand.repairRecord), columns: ["Kind", "ID", "Repair", "Reason"],
          format: global.format))
    }
  }

  struct Status: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Messages applied, last event, dead letters, unknown events, last resync's drift.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: StoreOptions

    func execute() async throws {
      let stats = try await store.withStore { store in try await store.read { try await $0.stats() } }
      var record: Record = [
        "Messages Applied": .int(stats.messagesApplied),
        "Last Event": .optional(stats.lastEventTime.map { $0.ISO8601Format() }),
        "Last Applied": .optional(stats.lastAppliedAt.map { $0.ISO8601Format() }),
        "Open Intervals": .int(stats.openIntervals), "Corrections": .int(stats.corrections),
        "Dead Letters": .int(stats.deadLetters),
        "Unknown Events": .strings(stats.unknownEvents.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }),
      ]
      if let resync = stats.lastResync {
        record.fields.append((key: "Last Resync", value: .string(resync.finishedAt.ISO8601Format())))
        record.fields.append(
          (
            key: "Drift",
            value: .strings(
              resync.drift.kinds.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                "\($0.key.rawValue): vanished=\($0.value.vanished) unseen=\($0.value.unseen) changed=\($0.value.changed) resurrected=\($0.value.resurrected)"
              })
          ))
      }
      output(Renderer.show(record, format: global.format))
    }
  }

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
    @Option(help: "Messages per transaction (the consumer's default).") var batch = 256
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

  struct Usage: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "usage", abstract: "A project's usage over a window, per resource, state and flavor.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "Project id.") var project: String
    @Option(help: "Window start, ISO 8601 (default: the first of this month, UTC).") var from: String?
    @Option(help: "Window end, ISO 8601 (default: now).") var to: String?

    func execute() async throws {
      let now = Date()
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC")!
      let monthStart = calendar.date(from: calendar.dateComponents([.year, .month], from: now)) ?? now
      let start = try MeteringCommand.date(from, "--from", default: monthStart)
      let end = try MeteringCommand.date(to, "--to", default: now)
      guard start < end else { throw ValidationError("--from must be before --to") }
      let report = try await store.withStore { try await $0.usage(projectID: project, from: start, to: end, now: now) }
      var records: [Record] = []
      for resource in report.resources {
        for line in resource.lines {
          records.append([
            "Kind": .string(resource.key.kind.rawValue), "ID": .string(resource.key.id), "State": .string(line.state),
            "Flavor": .optional(line.spec.flavor), "vCPUs": .optional(line.spec.vcpus),
            "GB": .optional(line.spec.diskGB),
            "Hours": .double((line.hours * 1000).rounded() / 1000), "Billable": .bool(line.billable),
          ])
        }
      }
      let t = report.totals
      let totals: [(String, Double)] = [
        ("instance-hours", t.instanceHours), ("vcpu-hours", t.vcpuHours), ("memory-mb-hours", t.memoryMBHours),
        ("volume-gb-hours", t.volumeGBHours), ("floating-ip-hours", t.floatingIPHours),
      ]
      for (name, value) in totals {
        records.append([
          "Kind": "total", "ID": .string(name), "State": nil, "Flavor": nil, "vCPUs": nil, "GB": nil,
          "Hours": .double((value * 1000).rounded() / 1000), "Billable": true,
        ])
      }
      output(Renderer.list(records, format: global.format))
    }
  }

  struct Run: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "run",
      abstract: "Consume notifications into the ledger and resync periodically, until SIGTERM or SIGINT.",
      discussion: """
        Declares its own durable queue bound to notifications.info on the nova, cinder, neutron, heat, \
        keystone and glance exchanges (never consumes notifications.info itself) and acks a batch only \
        after it is committed. Without --transport-url only the resync runs (polling).
        """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "RabbitMQ URL, amqp(s)://user:pass@host:port/vhost (default: $STEWARD_TRANSPORT_URL).")
    var transportURL: String?
    @Option(help: "Steward's queue.") var queue = "steward.notifications"
    @Flag(help: "Declare the exchanges durable (must match the services' amqp_durable_queues).")
    var durableExchanges = false
    @Option(help: "Seconds between resyncs (0: never).") var resyncInterval = 600
    @Option(help: "Days to keep processed message ids for deduplication (0: forever).")
    var messageRetentionDays = 7.0

    func execute() async throws {
      guard resyncInterval >= 0 else { throw ValidationError("--resync-interval must not be negative") }
      guard messageRetentionDays >= 0 else { throw ValidationError("--message-retention-days must not be negative") }
      let retention = MessageRetention(window: messageRetentionDays > 0 ? messageRetentionDays * 86_400 : nil)
      let url = transportURL ?? ProcessInfo.processInfo.environment["STEWARD_TRANSPORT_URL"]
      guard url != nil || resyncInterval > 0 else {
        throw ValidationError("nothing to do: give --transport-url or a positive --resync-interval")
      }
      LoggingBootstrap.enableInfo(debug: global.debug)
      let logger = Logger(label: "steward.metering")
      let interval = resyncInterval
      let queue = queue
      let durable = durableExchanges
      try await store.withStore { store in
        try await global.withSession { session in
          let work = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
              if let url {
                let consumer = AMQPConsumer(
                  configuration: try AMQPConfiguration(url: url),
                  topology: .notifications(queue: queue, durableExchanges: durable, prefetch: 512))
                let loop = NotificationConsumerLoop(
                  ingestor: NotificationIngestor(store: store, retention: retention), maxBatch: 256,
                  onBatch: { s in
                    logger.debug(
                      "batch: \(s.applied) applied, \(s.duplicates) duplicates, \(s.unknown) unknown, \(s.deadLettered) dead letters"
                    )
                  })
                group.addTask { try await MeteringConsumer(consumer: consumer, loop: loop).run() }
              }
              if interval > 0 {
                group.addTask {
                  while !Task.isCancelled {
                    do {
                      let (plan, failures) = try await MeteringCommand.resync(
                        session: session, store: store, dryRun: false)
                      logger.info(
                        "resync: \(plan.repairs.count) repairs, drift \(plan.drift.total), unlisted \(failures.keys.map(\.rawValue).sorted())"
                      )
                    } catch is CancellationError {
                      return
                    } catch {
                      logger.error("resync failed: \(error)")
                    }
                    try? await Task.sleep(for: .seconds(interval))
                  }
                }
              }
              try await group.waitForAll()
            }
          }
          let signals = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber)
            source.setEventHandler {
              logger.info("stopping (signal \(signalNumber))")
              work.cancel()
            }
            source.resume()
            return source
          }
          defer { for s in signals { s.cancel() } }
          do {
            try await work.value
          } catch is CancellationError {}
        }
      }
    }
  }
}
