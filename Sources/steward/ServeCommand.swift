import ArgumentParser
import Foundation
import Leasing
import Logging
import OpenStack
import StewardServer
import Storage

/// `steward serve`: the bare-metal leasing service (esi-leap API v1).
struct ServeCommand: StewardSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the bare-metal leasing service (esi-leap API v1) with its lease manager.",
    discussion: """
      The cloud given with --os-cloud is the service's own identity: it validates callers' tokens \
      (needs identity:validate_token, e.g. a service or admin user) and sets lessees on Ironic nodes \
      (system scope, or admin of the owner projects). Several replicas may share one PostgreSQL database; \
      one of them runs the manager at a time. SIGTERM or SIGINT stops it gracefully.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(
    help:
      "SQLite file path, or postgres://user:password@host:port/db (default: $STEWARD_DATABASE or ./steward-leasing.sqlite)."
  )
  var database: String?

  @Option(help: "Address to listen on.")
  var bind = "127.0.0.1"

  @Option(help: "Port to listen on.")
  var port = 7080

  @Option(help: "Policy overrides (YAML or JSON, esi-leap rule names).")
  var policy: String?

  @Option(help: "Seconds between lease manager runs.")
  var managerInterval = 10

  @Flag(help: "Power nodes off when their lease ends.")
  var powerOffOnRelease = false

  @Option(help: "JSON file of dummy_node resources (enables the dummy_node type, for tests and demos).")
  var dummyNodes: String?

  @Option(help: "Seconds a validated token is trusted before Keystone is asked again.")
  var tokenCacheSeconds = 60

  func execute() async throws {
    guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    guard managerInterval > 0 else { throw ValidationError("--manager-interval must be positive") }
    LoggingBootstrap.enableInfo(debug: global.debug)
    let logger = Logger(label: "steward.leasing")
    let config = try CloudConfigLoader().load(cloud: global.cloud, regionName: global.regionName)
    let session = Session(config: config, logger: Logger(label: "steward.openstack"))
    let options = LeasingServer.Options(
      database: database ?? ProcessInfo.processInfo.environment["STEWARD_DATABASE"] ?? "steward-leasing.sqlite",
      host: bind, port: port, policyFile: policy, managerInterval: .seconds(managerInterval),
      powerOffOnRelease: powerOffOnRelease, dummyNodesFile: dummyNodes,
      tokenCacheTTL: TimeInterval(tokenCacheSeconds))
    try await ServiceRunner.run(session: session) {
      let server = try await LeasingServer.make(
        options: options, session: session, logger: logger,
        onServerRunning: { port in logger.info("leasing service listening on \(options.host):\(port)") })
      logger.info("database \(server.database.displayName)")
      try await ServiceRunner.serve(closing: server.database) { try await server.application.runService() }
    }
  }
}

extension LoggingBootstrap {
  /// Info-level logs to stderr for long-running services (debug with --debug).
  static func enableInfo(debug: Bool) {
    guard !done else { return }
    done = true
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = debug ? .debug : .info
      if label == "steward.openstack" && !debug { handler.logLevel = .warning }
      return handler
    }
  }
}
