import AMQP
import ArgumentParser
import Foundation
import Logging
import Metering
import OpenStack
import ServiceLifecycle
import StewardCore

extension MeteringCommand {
  struct Run: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "run",
      abstract: "Consume notifications into the ledger and resync periodically, until SIGTERM or SIGINT.",
      discussion: """
        Declares its own durable queue bound to notifications.info on the nova, cinder, neutron, heat, \
        keystone and glance exchanges (never consumes notifications.info itself) and acks a batch only \
        after it is committed. Without --transport-url only the resync runs (polling); with \
        --resync-interval 0 only the consumer runs and no cloud credentials are needed.

        SIGTERM or SIGINT stops gracefully: the broker is told to stop delivering, what was received is \
        committed and acked, the connection is closed, a running resync is abandoned (its transaction rolls \
        back), and the process exits 0. Messages the broker had not delivered stay in the queue.
        """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "RabbitMQ URL, amqp(s)://user:pass@host:port/vhost (default: $STEWARD_TRANSPORT_URL).")
    var transportURL: String?
    @Option(help: "Steward's queue.") var queue = "steward.notifications"
    @Option(
      name: .customLong("exchange"),
      help: "An exchange to bind the queue to (repeatable; default: nova cinder neutron heat keystone glance).")
    var exchanges: [String] = []
    @Flag(help: "Declare the exchanges durable (must match the services' amqp_durable_queues).")
    var durableExchanges = false
    @Option(help: "Seconds between resyncs (0: never).") var resyncInterval = 600
    // A batch closes at --batch messages or after a short delay, so light traffic commits small batches at
    // once; under a burst 1,024 per transaction is what applies 10,000+ messages/s on SQLite (p99 ~0.2 s), and a
    // prefetch of twice that lets the next batch fill while one commits (benchmarks/RESULTS.md).
    @Option(help: "Most messages per transaction.") var batch = 1024
    @Option(help: "Unacked messages the broker may send ahead (basic.qos).") var prefetch = 2048
    @Option(help: "Days to keep processed message ids for deduplication (0: forever).")
    var messageRetentionDays = 7.0

    func execute() async throws {
      guard resyncInterval >= 0 else { throw ValidationError("--resync-interval must not be negative") }
      guard batch > 0 else { throw ValidationError("--batch must be positive") }
      try MeteringCommand.requireOwnQueue(queue)
      guard (1...65535).contains(prefetch) else { throw ValidationError("--prefetch must be in 1...65535") }
      guard messageRetentionDays >= 0 else { throw ValidationError("--message-retention-days must not be negative") }
      let retention = MessageRetention(window: messageRetentionDays > 0 ? messageRetentionDays * 86_400 : nil)
      let url = transportURL ?? MeteringCommand.transportURLFromEnvironment
      guard url != nil || resyncInterval > 0 else {
        throw ValidationError("nothing to do: give --transport-url or a positive --resync-interval")
      }
      var configuration: AMQPConfiguration?
      if let url {
        do {
          configuration = try AMQPConfiguration(url: url)
          configuration?.connectionName = "steward-metering"
        } catch { throw ValidationError("\(error)") }
      }
      LoggingBootstrap.enableInfo(debug: global.debug)
      let logger = Logger(label: "steward.metering")
      let topology: AMQPTopology =
        exchanges.isEmpty
        ? .notifications(queue: queue, durableExchanges: durableExchanges, prefetch: UInt16(prefetch))
        : .notifications(
          queue: queue, exchanges: exchanges, durableExchanges: durableExchanges, prefetch: UInt16(prefetch))
      let (interval, maxBatch) = (resyncInterval, batch)
      try await store.withStore { store in
        func services(_ session: Session?) -> [any Service] {
          var services: [any Service] = []
          if let configuration {
            let consumer = AMQPConsumer(configuration: configuration, topology: topology)
            let loop = NotificationConsumerLoop(
              ingestor: NotificationIngestor(store: store, retention: retention), maxBatch: maxBatch,
              onBatch: { s in
                logger.debug(
                  "batch: \(s.applied) applied, \(s.duplicates) duplicates, \(s.unknown) unknown, \(s.deadLettered) dead letters"
                )
              })
            services.append(ConsumerService(consumer: MeteringConsumer(consumer: consumer, loop: loop), logger: logger))
          }
          if let session, interval > 0 {
            services.append(
              ResyncService(interval: .seconds(interval), logger: logger) {
                try await MeteringCommand.resync(session: session, store: store, dryRun: false)
              })
          }
          return services
        }
        if interval > 0 {
          try await global.withSession { session in try await Self.run(services(session), logger: logger) }
        } else {
          try await Self.run(services(nil), logger: logger)
        }
      }
    }

    /// One process, several services: SIGTERM/SIGINT shut them down gracefully (in reverse order: the resync
    /// first, then the consumer drains), a second SIGINT or a SIGQUIT cancels at once.
    static func run(_ services: [any Service], logger: Logger) async throws {
      var configuration = ServiceGroupConfiguration(
        services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
        cancellationSignals: [.sigquit], logger: logger)
      configuration.maximumGracefulShutdownDuration = .seconds(60)
      try await ServiceGroup(configuration: configuration).run()
      logger.info("stopped")
    }
  }
}

/// The notification consumer as a service: on graceful shutdown it stops consuming (basic.cancel), commits
/// and acks what was delivered, and closes the connection.
struct ConsumerService: Service, CustomStringConvertible {
  let consumer: MeteringConsumer
  let logger: Logger
  var description: String { "metering-consumer" }

  func run() async throws {
    try await withGracefulShutdownHandler {
      try await consumer.run()
    } onGracefulShutdown: {
      logger.info("stopping the consumer: no new deliveries, committing and acking the ones received")
      consumer.consumer.stop()
    }
  }
}

/// The periodic resync as a service; graceful shutdown cancels it (a resync is one transaction, so an
/// abandoned one leaves nothing half-applied).
struct ResyncService: Service, CustomStringConvertible {
  let interval: Duration
  let logger: Logger
  let resync: @Sendable () async throws -> (ResyncPlan, [ResourceReference.Kind: String])
  var description: String { "metering-resync" }

  init(
    interval: Duration, logger: Logger,
    resync: @escaping @Sendable () async throws -> (ResyncPlan, [ResourceReference.Kind: String])
  ) {
    self.interval = interval
    self.logger = logger
    self.resync = resync
  }

  func run() async throws {
    _ = await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        do {
          let (plan, failures) = try await resync()
          logger.info(
            "resync: \(plan.repairs.count) repairs, drift \(plan.drift.total), unlisted \(failures.keys.map(\.rawValue).sorted())"
          )
        } catch is CancellationError {
          return
        } catch {
          logger.error("resync failed: \(error)")
        }
        try? await Task.sleep(for: interval)
      }
    }
  }
}
