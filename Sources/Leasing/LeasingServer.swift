import Foundation
import Hummingbird
import Logging
import OpenStack
import ServiceLifecycle
import StewardServer
import Storage

/// Everything `steward serve` runs, assembled in one place so tests start the same service in-process.
public struct LeasingServer: Sendable {
  public struct Options: Sendable {
    /// A SQLite file path (default) or `postgres://…`.
    public var database: String
    public var host: String
    public var port: Int
    public var policyFile: String?
    public var managerInterval: Duration
    public var powerOffOnRelease: Bool
    /// A JSON file of `dummy_node`s (enables the type); nil with `dummyNodes` empty disables it.
    public var dummyNodesFile: String?
    public var tokenCacheTTL: TimeInterval
    public var runManager: Bool

    public init(
      database: String = "steward-leasing.sqlite", host: String = "127.0.0.1", port: Int = 7080,
      policyFile: String? = nil, managerInterval: Duration = .seconds(10), powerOffOnRelease: Bool = false,
      dummyNodesFile: String? = nil, tokenCacheTTL: TimeInterval = 60, runManager: Bool = true
    ) {
      self.database = database
      self.host = host
      self.port = port
      self.policyFile = policyFile
      self.managerInterval = managerInterval
      self.powerOffOnRelease = powerOffOnRelease
      self.dummyNodesFile = dummyNodesFile
      self.tokenCacheTTL = tokenCacheTTL
      self.runManager = runManager
    }
  }

  public let database: any Database
  public let service: LeasingService
  public let manager: LeaseManager
  public let application: any ApplicationProtocol

  /// - Parameters:
  ///   - session: the service's own OpenStack session (token validation, Ironic, project names); nil runs
  ///     without OpenStack (dummy nodes and `validator` only, for tests).
  ///   - extraBackends: resource backends besides Ironic (a `DummyNodeBackend` in tests).
  public static func make(
    options: Options, session: Session?, validator: (any TokenValidator)? = nil,
    extraBackends: [any ResourceBackend] = [], logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) async throws -> LeasingServer {
    let policy = try Policy.load(defaults: LeasingPolicy.defaults, file: options.policyFile)
    let database = try await DatabaseOpener.open(options.database, logger: logger)
    let store = LeasingStore(database: database)
    do {
      try await store.migrate()
    } catch {
      await database.close()
      throw error
    }
    var backends = extraBackends
    if let session {
      backends.append(IronicNodeBackend(session: session, powerOffOnRelease: options.powerOffOnRelease))
    }
    if let file = options.dummyNodesFile, !backends.contains(where: { $0.resourceType == "dummy_node" }) {
      backends.append(try DummyNodeBackend(file: file))
    }
    let registry = ResourceRegistry(backends)
    let manager = LeaseManager(
      store: store, resources: registry, interval: options.managerInterval, logger: logger)
    let projects: any ProjectDirectory =
      session.map { KeystoneProjectDirectory(session: $0) } ?? IdentityOnlyDirectory()
    let wakeup = manager.wakeup
    let service = LeasingService(
      store: store, resources: registry, policy: policy, projects: projects, manager: manager,
      nudge: { wakeup.nudge() })
    guard
      let validator = validator
        ?? session.map({ KeystoneTokenValidator(session: $0, ttl: options.tokenCacheTTL, logger: logger) })
    else {
      throw LeasingError.invalid("no token validator: give the service a cloud (--os-cloud) to validate tokens")
    }
    let routes = LeasingRoutes(service: service)
    let application = ServerApplication.make(
      configuration: .init(host: options.host, port: options.port, serverName: "steward-leasing"),
      validator: validator, logger: logger,
      health: {
        do {
          _ = try await database.read { db in try await db.query("SELECT 1 AS ok", []) }
          return nil
        } catch {
          return "database \(database.displayName) does not answer: \(error)"
        }
      },
      publicPaths: LeasingRoutes.publicPaths,
      services: options.runManager ? [manager] : [],
      onServerRunning: onServerRunning,
      routes: { routes.register(on: $0) })
    return LeasingServer(database: database, service: service, manager: manager, application: application)
  }
}
