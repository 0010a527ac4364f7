import AMQP
import Billing
import Foundation
import Hummingbird
import Logging
import Metering
import OpenStack
import ServiceLifecycle
import StewardServer
import Storage

/// Everything `steward metering serve` runs, assembled in one place so tests start the same service
/// in-process: the REST API, the dashboard, `/metrics`, `/healthz` and, optionally, the notification consumer.
public struct MeteringServer: Sendable {
  public struct Options: Sendable {
    /// A SQLite file path (default) or `postgres://…`.
    public var database: String
    public var host: String
    public var port: Int
    public var policyFile: String?
    public var tokenCacheTTL: TimeInterval
    /// Run the notification consumer in this process (RabbitMQ URL), or nil.
    public var transportURL: String?
    public var queue: String
    public var durableExchanges: Bool
    /// Seconds the overview (all projects' costs) may be reused.
    public var overviewTTL: TimeInterval
    /// Dashboard cookies with the Secure attribute (when served behind TLS).
    public var secureCookies: Bool
    /// Seconds between budget checks (with a price list); 0 never checks.
    public var budgetCheckInterval: Int
    /// Who may scrape `/metrics` (outside Keystone auth: Prometheus has no Keystone token).
    public var metricsAccess: MetricsAccess

    public init(
      database: String = "steward-metering.sqlite", host: String = "127.0.0.1", port: Int = 7090,
      policyFile: String? = nil, tokenCacheTTL: TimeInterval = 60, transportURL: String? = nil,
      queue: String = "steward.notifications", durableExchanges: Bool = false, overviewTTL: TimeInterval = 15,
      secureCookies: Bool = false, budgetCheckInterval: Int = 300, metricsAccess: MetricsAccess = .open
    ) {
      self.database = database
      self.host = host
      self.port = port
      self.policyFile = policyFile
      self.tokenCacheTTL = tokenCacheTTL
      self.transportURL = transportURL
      self.queue = queue
      self.durableExchanges = durableExchanges
      self.overviewTTL = overviewTTL
      self.secureCookies = secureCookies
      self.budgetCheckInterval = budgetCheckInterval
      self.metricsAccess = metricsAccess
    }
  }

  public let database: any Database
  public let store: SQLMeteringStore
  public let queries: MeteringQueries
  public let metrics: MeteringMetrics
  public let application: any ApplicationProtocol
  public let callers: CallerSessions?
  public let billing: BillingBridge?

  /// - Parameters:
  ///   - session: the service's own OpenStack session (token validation, project names, quotas, teams);
  ///     nil runs without OpenStack (tests give `validator` and `authenticator`).
  ///   - prices: the price schedule; nil runs without money (usage only, no billing routes).
  public static func make(
    options: Options, session: Session?, validator: (any TokenValidator)? = nil,
    authenticator: (any DashboardAuthenticator)? = nil, names: (any ProjectNameSource)? = nil,
    prices: PriceSchedule? = nil, database existing: (any Database)? = nil, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) async throws -> MeteringServer {
    let policy = try Policy.load(defaults: MeteringPolicy.defaults, file: options.policyFile)
    let database: any Database
    if let existing {
      database = existing
    } else {
      database = try await DatabaseOpener.open(options.database, logger: logger)
    }
    let store: SQLMeteringStore
    do {
      store = try await SQLMeteringStore.open(database)
    } catch {
      if existing == nil { await database.close() }
      throw error
    }
    var bridge: BillingBridge?
    if let prices {
      do {
        let billingStore = try await BillingStore.open(database)
        bridge = BillingBridge(
          service: BillingService(store: billingStore, metering: store, schedule: prices),
          draftTTL: options.overviewTTL)
      } catch {
        if existing == nil { await database.close() }
        throw error
      }
    }
    let costs: (any CostSource)? = bridge
    let names = names ?? session.map { KeystoneProjectNames(session: $0) } ?? NoProjectNames()
    let queries = MeteringQueries(
      store: store, policy: policy, names: names, costs: costs, overviewTTL: options.overviewTTL)
    let callers = session.map { CallerSessions(base: $0.config, logger: Logger(label: "steward.openstack")) }
    let actions = PortalActions(queries: queries, policy: policy, service: session, callers: callers, logger: logger)
    let teams = session.map {
      TeamCreator(
        backend: KeystoneTeamBackend(session: $0, accounts: bridge.map { $0 as any TeamAccounts } ?? NoTeamAccounts()),
        logger: logger)
    }
    guard
      let validator = validator
        ?? session.map({ KeystoneTokenValidator(session: $0, ttl: options.tokenCacheTTL, logger: logger) })
    else {
      throw APIError(.internalServerError, "no token validator: give the service a cloud (--os-cloud)")
    }
    guard
      let authenticator = authenticator
        ?? session.map({ KeystonePasswordAuthenticator(base: $0.config, logger: Logger(label: "steward.openstack")) })
    else {
      throw APIError(.internalServerError, "no dashboard authenticator: give the service a cloud (--os-cloud)")
    }
    let metrics = MeteringMetrics()
    var services: [any Service] = []
    if let url = options.transportURL {
      let consumer = AMQPConsumer(
        configuration: try AMQPConfiguration(url: url),
        topology: .notifications(queue: options.queue, durableExchanges: options.durableExchanges, prefetch: 2048))
      let loop = NotificationConsumerLoop(
        ingestor: NotificationIngestor(store: store), maxBatch: 1024,
        onBatch: { summary in
          metrics.record(summary)
          if summary.applied > 0 { Task { await queries.refreshSoon() } }
        })
      services.append(
        ConsumerService(
          consumer: MeteringConsumer(consumer: consumer, loop: loop) { metrics.recordQueueMessages($0) },
          logger: logger))
    }
    if let bridge, options.budgetCheckInterval > 0 {
      services.append(
        BudgetWatcher(
          service: bridge.service, interval: .seconds(options.budgetCheckInterval),
          notifier: WebhookBudgetNotifier(logger: logger), logger: logger))
    }
    let routes = MeteringRoutes(queries: queries, actions: actions, teams: teams)
    let dashboard = DashboardRoutes(
      queries: queries, actions: actions, sessions: DashboardSessions(), authenticator: authenticator,
      billing: bridge, secureCookies: options.secureCookies, logger: logger)
    let application = ServerApplication.make(
      configuration: .init(host: options.host, port: options.port, serverName: "steward-metering"),
      validator: validator, logger: logger,
      health: {
        do {
          _ = try await database.read { db in try await db.query("SELECT 1 AS ok", []) }
          return nil
        } catch {
          return "database \(database.displayName) does not answer"
        }
      },
      publicPaths: MeteringRoutes.publicPaths.union(["/metrics"]),
      publicPrefixes: [DashboardRoutes.prefix],
      services: services,
      onServerRunning: onServerRunning,
      routes: { router in
        routes.register(on: router)
        dashboard.register(on: router)
        if let bridge { BillingRoutes(bridge: bridge, queries: queries).register(on: router) }
        let metricsAccess = options.metricsAccess
        router.get("/metrics") { request, _ -> Response in
          guard metricsAccess.allows(authorization: request.headers[.authorization]) else {
            throw APIError(
              .unauthorized, "/metrics needs the bearer token the service was given (--metrics-token-file)",
              headers: [.wwwAuthenticate: "Bearer realm=\"steward-metrics\""])
          }
          let summaries = try await queries.projects(
            caller: Caller(userID: "metrics", projectID: nil, roles: ["admin"]))
          let text = try await metrics.scrape(store: store, summaries: summaries)
          return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: .init(string: text)))
        }
      })
    return MeteringServer(
      database: database, store: store, queries: queries, metrics: metrics, application: application,
      callers: callers, billing: bridge)
  }
}

/// The notification consumer as a background service of the HTTP application: stopped with it on SIGTERM.
struct ConsumerService: Service {
  let consumer: MeteringConsumer
  let logger: Logger

  func run() async throws {
    logger.info("notification consumer started")
    do {
      try await cancelWhenGracefulShutdown { try await consumer.run() }
    } catch is CancellationError {}
    logger.info("notification consumer stopped")
  }
}
