import ArgumentParser
import Logging
import OpenStack
import StewardCore

/// The options every command shares, named as the openstack CLI names them.
struct GlobalOptions: ParsableArguments {
  @Option(name: .customLong("os-cloud"), help: "Cloud name in clouds.yaml (default: $OS_CLOUD).")
  var cloud: String?

  @Option(name: .customLong("os-region-name"), help: "Region to use (default: the cloud's region_name).")
  var regionName: String?

  @Option(name: [.customShort("f"), .long], help: "Output format: table, json, yaml or value.")
  var format: OutputFormat = .table

  @Flag(name: .long, help: "Log every request and response to stderr (tokens and passwords masked).")
  var debug = false

  /// Loads the cloud, runs `body` with a session, and always closes the session.
  func withSession<T: Sendable>(_ body: (Session) async throws -> T) async throws -> T {
    let config = try CloudConfigLoader().load(cloud: cloud, regionName: regionName)
    return try await Session.with(config, logger: sessionLogger(), body)
  }

  /// The logger sessions write requests to: silent unless `--debug`.
  func sessionLogger() -> Logger {
    guard debug else { return Logger(label: "steward") }
    LoggingBootstrap.enableDebug()
    var logger = Logger(label: "steward.openstack")
    logger.logLevel = .debug
    return logger
  }
}

extension OutputFormat: ExpressibleByArgument {}

enum LoggingBootstrap {
  nonisolated(unsafe) static var done = false

  static func enableDebug() {
    guard !done else { return }
    done = true
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = .debug
      return handler
    }
  }
}
