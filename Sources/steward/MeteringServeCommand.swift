import ArgumentParser
import Billing
import Foundation
import Logging
import MeteringService
import OpenStack
import StewardServer
import Storage

/// `steward metering serve`: the metering and billing service — REST API, dashboard, /metrics — and,
/// with --transport-url, the notification consumer in the same process.
struct MeteringServe: StewardSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the metering service: REST API under /v1, the web dashboard, /metrics and /healthz.",
    discussion: """
      The cloud given with --os-cloud is the service's own identity: it validates callers' tokens \
      (identity:validate_token), lists project names, reads and sets quotas and creates teams (admin). \
      Portal actions on servers, stacks, volumes and key pairs run with the caller's own token. The \
      dashboard is at /dashboard (sign in with Keystone credentials). With --transport-url the notification \
      consumer runs in the same process (otherwise run `steward metering run` beside it on the same database). \
      /metrics is outside Keystone auth (Prometheus has no token) and shows project ids and costs: give \
      --metrics-token-file, or protect the port at the network level. SIGTERM or SIGINT stops it gracefully.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(
    help:
      "SQLite file path, or postgres://user:password@host:port/db (default: $STEWARD_DATABASE or ./steward-metering.sqlite)."
  )
  var database: String?

  @Option(help: "Address to listen on.") var bind = "127.0.0.1"
  @Option(help: "Port to listen on (0: any free port, logged at start).") var port = 7090
  @Option(help: "Policy overrides (YAML or JSON).") var policy: String?
  @Option(help: "Seconds a validated token is trusted before Keystone is asked again.") var tokenCacheSeconds = 60
  @Option(
    help:
      "Also consume notifications: RabbitMQ URL amqp(s)://user:pass@host:port/vhost (default: $STEWARD_TRANSPORT_URL when --consume is given)."
  )
  var transportURL: String?
  @Flag(help: "Run the notification consumer in this process (needs --transport-url or $STEWARD_TRANSPORT_URL).")
  var consume = false
  @Option(help: "The consumer's queue.") var queue = "steward.notifications"
  @Flag(help: "Declare the exchanges durable (must match the services' amqp_durable_queues).")
  var durableExchanges = false
  @Option(help: "Seconds the overview of all projects may be reused.") var overviewSeconds = 15
  @Flag(help: "Mark the dashboard's cookie Secure (serve it behind TLS).") var secureCookies = false
  @Option(
    name: .customLong("prices"),
    help:
      "Price list YAML file (repeat for several; default: $STEWARD_PRICES, else ./prices.yaml if present; without one the service shows usage only)."
  )
  var priceFiles: [String] = []
  @Option(help: "Seconds between budget checks (threshold events and webhooks); 0 never checks.")
  var budgetCheckSeconds = 300
  @Option(
    help: ArgumentHelp(
      "File holding the bearer token a scraper must send to read /metrics (Authorization: Bearer; Prometheus' credentials_file).",
      discussion:
        "Without it /metrics answers anyone who reaches the port, and it shows project ids and their costs: then protect it at the network level (bind to a monitoring network, firewall, or a proxy).",
      valueName: "path"))
  var metricsTokenFile: String?

  func execute() async throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    try MeteringCommand.requireOwnQueue(queue)
    guard overviewSeconds >= 0 else { throw ValidationError("--overview-seconds must not be negative") }
    var transport = transportURL
    if consume, transport == nil { transport = MeteringCommand.transportURLFromEnvironment }
    if consume, transport == nil {
      throw ValidationError("--consume needs --transport-url or $STEWARD_TRANSPORT_URL")
    }
    if !consume, transportURL != nil { transport = transportURL }
    guard budgetCheckSeconds >= 0 else { throw ValidationError("--budget-check-seconds must not be negative") }
    var files = priceFiles
    if files.isEmpty {
      if let env = ProcessInfo.processInfo.environment["STEWARD_PRICES"], !env.isEmpty {
        files = env.split(separator: ",").map(String.init)
      } else if FileManager.default.fileExists(atPath: "prices.yaml") {
        files = ["prices.yaml"]
      }
    }
    let prices: PriceSchedule?
    do {
      prices = files.isEmpty ? nil : try PriceListLoader.schedule(files: files)
    } catch {
      throw ValidationError(error.description)
    }
    let metricsAccess: MetricsAccess
    do {
      metricsAccess = try metricsTokenFile.map { try MetricsAccess.bearer(file: $0) } ?? .open
    } catch let error as MetricsAccess.Invalid {
      throw ValidationError("--metrics-token-file \(error.message)")
    }
    LoggingBootstrap.enableInfo(debug: global.debug)
    let logger = Logger(label: "steward.metering")
    if prices == nil { logger.warning("no price list (--prices): the service shows usage without costs") }
    if metricsAccess.isOpen {
      logger.notice("/metrics is open to anyone who reaches the port (no --metrics-token-file)")
    }
    let config = try CloudConfigLoader().load(cloud: global.cloud, regionName: global.regionName)
    let session = Session(config: config, logger: Logger(label: "steward.openstack"))
    let options = MeteringServer.Options(
      database: database ?? ProcessInfo.processInfo.environment["STEWARD_DATABASE"] ?? "steward-metering.sqlite",
      host: bind, port: port, policyFile: policy, tokenCacheTTL: TimeInterval(tokenCacheSeconds),
      transportURL: transport, queue: queue, durableExchanges: durableExchanges,
      overviewTTL: TimeInterval(overviewSeconds), secureCookies: secureCookies,
      budgetCheckInterval: budgetCheckSeconds, metricsAccess: metricsAccess)
    try await ServiceRunner.run(session: session) {
      let server = try await MeteringServer.make(
        options: options, session: session, prices: prices, logger: logger,
        onServerRunning: { port in logger.info("metering service listening on \(options.host):\(port)") })
      logger.info("database \(server.database.displayName)\(transport == nil ? "" : ", consuming notifications")")
      try await ServiceRunner.serve(closing: server.database, stopped: { await server.callers?.shutdown() }) {
        try await server.application.runService()
      }
    }
  }
}
