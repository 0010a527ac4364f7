import Foundation
import Logging
import Metering
import OpenStack
import StewardServer

/// The portal's actions on OpenStack: switch devices and racks on and off, destroy them, manage key pairs,
/// read and set quotas. Actions on resources run with the CALLER's token (OpenStack applies its own
/// policy); quota reads and changes, which need an admin, run with the service's session after this
/// service's policy allowed them.
public struct PortalActions: Sendable {
  public let queries: MeteringQueries
  public let policy: Policy
  /// The service's own session; nil in tests without a cloud (actions then answer 503).
  public let service: Session?
  public let callers: CallerSessions?
  let logger: Logger

  public init(
    queries: MeteringQueries, policy: Policy, service: Session?, callers: CallerSessions?, logger: Logger
  ) {
    self.queries = queries
    self.policy = policy
    self.service = service
    self.callers = callers
    self.logger = logger
  }

  func callerSession(token: String, caller: Caller) async throws -> Session {
    guard let callers else { throw APIError(.serviceUnavailable, "the service runs without a cloud") }
    return await callers.session(token: token, caller: caller)
  }

  func serviceSession() throws -> Session {
    guard let service else { throw APIError(.serviceUnavailable, "the service runs without a cloud") }
    return service
  }

  /// Performs `action` on a server, stack or volume the caller's project owns (404 otherwise).
  public func perform(_ action: ResourceAction, on key: ResourceKey, token: String, caller: Caller) async throws {
    let entry = try await queries.resource(key, caller: caller)
    let project = entry.snapshot?.projectID
    try policy.enforce("metering:resource:action", caller, project: project)
    guard entry.isLive else { throw APIError.conflict("\(key.kind.rawValue) \(key.id) is already deleted") }
    guard ResourceAction.allowed(for: key.kind).contains(action) else {
      throw APIError.badRequest("action: a \(key.kind.rawValue) cannot be '\(action.rawValue)'")
    }
    let session = try await callerSession(token: token, caller: caller)
    do {
      switch key.kind {
      case .server:
        let servers = try await session.compute().servers
        switch action {
        case .on: try await servers.perform(.start, on: key.id)
        case .off: try await servers.perform(.stop, on: key.id)
        case .suspend: try await servers.perform(.suspend, on: key.id)
        case .resume: try await servers.perform(.resume, on: key.id)
        case .destroy: try await servers.delete(key.id)
        }
      case .stack:
        let stacks = try await session.orchestration().stacks
        let admin = caller.projectID != project
        guard let stack = try await stacks.find(id: key.id, allProjects: admin) else {
          throw APIError.notFound("stack \(key.id) is not in Heat any more")
        }
        switch action {
        case .on, .resume: try await stacks.perform(.resume, on: stack)
        case .off, .suspend: try await stacks.perform(.suspend, on: stack)
        case .destroy: try await stacks.delete(stack)
        }
      case .volume:
        try await session.blockStorage().volumes.delete(key.id)
      default:
        throw APIError.badRequest("action: a \(key.kind.rawValue) has no actions")
      }
    } catch let error as OpenStackError {
      throw Self.apiError(error, doing: "\(action.rawValue) \(key.kind.rawValue) \(key.id)")
    }
    logger.info("\(action.rawValue) \(key.kind.rawValue) \(key.id) (project \(project ?? "?"), user \(caller.userID))")
    await queries.invalidate()
  }

  /// OpenStack's refusal as the caller should see it: its status (403, 404, 409) and message; a failure of
  /// the cloud itself as 502.
  static func apiError(_ error: OpenStackError, doing what: String) -> APIError {
    let message = "\(what): \(error.message.isEmpty ? "refused" : error.message)"
    switch error.status {
    case 400: return .badRequest(message)
    case 401: return .unauthorized(message)
    case 403: return .forbidden(message)
    case 404: return .notFound(message)
    case 409: return .conflict(message)
    case 413: return APIError(.contentTooLarge, message)
    default: return APIError(.badGateway, message)
    }
  }

  // MARK: - key pairs (the caller's own)

  public func keypairs(token: String, caller: Caller) async throws -> [Keypair] {
    try policy.enforce("metering:keypair:manage", caller, project: caller.projectID)
    do {
      return try await callerSession(token: token, caller: caller).compute().keypairs.list()
    } catch let error as OpenStackError {
      throw Self.apiError(error, doing: "list key pairs")
    }
  }

  public func createKeypair(_ input: KeypairCreate, token: String, caller: Caller) async throws -> Keypair {
    try policy.enforce("metering:keypair:manage", caller, project: caller.projectID)
    do {
      return try await callerSession(token: token, caller: caller).compute().keypairs.create(input)
    } catch let error as OpenStackError {
      throw Self.apiError(error, doing: "create key pair \(input.name)")
    }
  }

  public func deleteKeypair(_ name: String, token: String, caller: Caller) async throws {
    try policy.enforce("metering:keypair:manage", caller, project: caller.projectID)
    do {
      try await callerSession(token: token, caller: caller).compute().keypairs.delete(name)
    } catch let error as OpenStackError {
      throw Self.apiError(error, doing: "delete key pair \(name)")
    }
  }

  // MARK: - quotas and limits

  /// Quotas with usage per service (`compute`, `volume`, `network`); a service that cannot be asked is
  /// named in `errors` rather than failing the whole answer.
  public func quotas(project: String, caller: Caller) async throws -> (
    quotas: [String: [String: QuotaUsage]], errors: [String: String]
  ) {
    try policy.enforce("metering:quota:get", caller, project: project)
    let session = try serviceSession()
    var quotas: [String: [String: QuotaUsage]] = [:]
    var errors: [String: String] = [:]
    async let compute = Self.attempt { try await session.compute().quotas.usage(project: project) }
    async let volume = Self.attempt { try await session.blockStorage().quotaUsage(project: project) }
    async let network = Self.attempt { try await session.network().quotaUsage(project: project) }
    for (name, result) in [("compute", await compute), ("volume", await volume), ("network", await network)] {
      switch result {
      case .success(let set): quotas[name] = set
      case .failure(let error as OpenStackError): errors[name] = error.message
      case .failure(let error): errors[name] = String(describing: type(of: error))
      }
    }
    return (quotas, errors)
  }

  /// Sets quotas: `{"compute": {"cores": 20}, "volume": {"gigabytes": 500}, "network": {"port": 50}}`.
  /// Every value is validated before any service is changed, and a service that refuses (Nova and Cinder refuse
  /// a limit below what is in use) puts back what the services before it were changed to: all or nothing.
  public func updateQuotas(project: String, body: [String: OpenStack.JSONValue], caller: Caller) async throws {
    try policy.enforce("metering:quota:update", caller, project: project)
    let changes = try QuotaInput.parse(body)
    let session = try serviceSession()
    @Sendable func set(_ service: String, _ limits: [String: Int]) async throws {
      switch service {
      case "compute": try await session.compute().quotas.update(project: project, limits: limits)
      case "volume": try await session.blockStorage().updateQuotas(project: project, limits: limits)
      default: try await session.network().updateQuotas(project: project, limits: limits)
      }
    }
    // The limits being changed as they are now, to put them back if a later service refuses.
    let (current, unreadable) = try await quotas(project: project, caller: caller)
    var previous: [String: [String: Int]] = [:]
    for (service, limits) in changes {
      guard let now = current[service] else {
        throw APIError(
          .badGateway,
          "read the \(service) quotas of project \(project) before changing them: \(unreadable[service] ?? "no answer")"
        )
      }
      previous[service] = limits.keys.reduce(into: [:]) { result, name in result[name] = now[name]?.limit }
    }
    var done: [String] = []
    for (service, limits) in changes.sorted(by: { $0.key < $1.key }) {
      do {
        try await set(service, limits)
        done.append(service)
      } catch let error as OpenStackError {
        let refused = Self.apiError(error, doing: "set \(service) quotas of project \(project)")
        guard !done.isEmpty else { throw refused }
        var notRestored: [String] = []
        for service in done.reversed() {
          do { try await set(service, previous[service] ?? [:]) } catch { notRestored.append(service) }
        }
        let undo =
          notRestored.isEmpty
          ? "\(done.joined(separator: ", ")) quotas were put back as they were"
          : "putting back the \(notRestored.joined(separator: ", ")) quotas failed too: check them"
        logger.warning("quota update of project \(project) refused by \(service); \(undo)")
        throw APIError(refused.status, "\(refused.message); \(undo)")
      }
    }
    logger.info("quotas of project \(project) set by user \(caller.userID): \(changes.keys.sorted())")
  }

  static func attempt<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
    do {
      return .success(try await body())
    } catch {
      return .failure(error)
    }
  }

  /// Nova's absolute limits of the project (max and used).
  public func limits(project: String, caller: Caller) async throws -> [String: Int] {
    try policy.enforce("metering:quota:get", caller, project: project)
    do {
      return try await serviceSession().compute().quotas.limits(project: project)
    } catch let error as OpenStackError {
      throw Self.apiError(error, doing: "read the limits of project \(project)")
    }
  }
}

/// Quota changes as the API accepts them.
enum QuotaInput {
  static let services: Set<String> = ["compute", "volume", "network"]

  static func parse(_ body: [String: OpenStack.JSONValue]) throws -> [String: [String: Int]] {
    guard !body.isEmpty else { throw APIError.badRequest("the body names no service (compute, volume, network)") }
    var result: [String: [String: Int]] = [:]
    for (service, value) in body {
      guard services.contains(service) else {
        throw APIError.badRequest("\(service): not a quota service (compute, volume or network)")
      }
      guard case .object(let limits) = value, !limits.isEmpty else {
        throw APIError.badRequest("\(service): expected an object of quota name to limit")
      }
      var parsed: [String: Int] = [:]
      for (name, raw) in limits {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
          throw APIError.badRequest("\(service).\(name): not a quota name")
        }
        guard case .int(let number) = raw, number >= -1 else {
          throw APIError.badRequest("\(service).\(name): expected a whole number, -1 for unlimited")
        }
        parsed[name] = number
      }
      result[service] = parsed
    }
    return result
  }
}
