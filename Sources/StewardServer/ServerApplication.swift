import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the HTTP application every Steward service runs: JSON errors, request log, Keystone token auth,
/// `/healthz`, graceful shutdown on SIGTERM/SIGINT (in-flight requests finish, background services stop).
public struct ServerApplication {
  public struct Configuration: Sendable {
    public var host: String
    public var port: Int
    public var serverName: String

    public init(host: String = "127.0.0.1", port: Int = 7070, serverName: String = "steward") {
      self.host = host
      self.port = port
      self.serverName = serverName
    }
  }

  /// A health probe: nil when healthy, else what is wrong (for example the database does not answer).
  public typealias HealthCheck = @Sendable () async -> String?

  /// - Parameters:
  ///   - routes: adds the service's routes; they run after authentication.
  ///   - publicPaths: routes reachable without a token (version documents).
  ///   - publicPrefixes: path prefixes whose routes authenticate themselves (a dashboard's session cookie).
  ///   - services: background services (managers, consumers) run and stopped with the server.
  ///   - onServerRunning: receives the bound port (tests bind port 0).
  public static func make(
    configuration: Configuration,
    validator: any TokenValidator,
    logger: Logger,
    health: HealthCheck? = nil,
    publicPaths: Set<String> = [],
    publicPrefixes: [String] = [],
    services: [any Service] = [],
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
    routes: (Router<StewardRequestContext>) -> Void
  ) -> some ApplicationProtocol {
    let router = Router(context: StewardRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: JSONErrorMiddleware())
    router.add(
      middleware: KeystoneAuthMiddleware(
        validator: validator, publicPaths: publicPaths.union(["/healthz"]), publicPrefixes: publicPrefixes))
    router.get("/healthz") { _, _ -> Response in
      if let problem = await health?() {
        return APIError(.serviceUnavailable, problem).makeResponse()
      }
      return JSONResponse.make(.ok, ["status": "ok"])
    }
    routes(router)
    return Application(
      router: router,
      configuration: .init(
        address: .hostname(configuration.host, port: configuration.port),
        serverName: configuration.serverName),
      services: services,
      onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
      logger: logger)
  }
}
