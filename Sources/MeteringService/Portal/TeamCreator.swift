import Foundation
import Logging
import OpenStack
import StewardServer

/// The writes a team needs, behind a protocol so the plan/rollback logic is tested without a cloud.
public protocol TeamBackend: Sendable {
  /// Resolves names to ids; 400 (`APIError`) naming the field when something does not exist.
  func resolveDomain(_ ident: String) async throws -> String
  func resolveUser(_ ident: String, domainID: String, field: String) async throws -> String
  func resolveRole(_ ident: String, field: String) async throws -> String
  func projectExists(name: String, domainID: String) async throws -> Bool
  func createProject(name: String, domainID: String, description: String?) async throws -> String
  func deleteProject(_ id: String) async throws
  func grant(role: String, user: String, project: String) async throws
  func revoke(role: String, user: String, project: String) async throws
  /// Checks the billing account settings before anything is written; 400 naming the field.
  func validateAccount(settings: [String: OpenStack.JSONValue]) throws
  /// Opens the team's billing account.
  func createAccount(project: String, name: String, settings: [String: OpenStack.JSONValue]) async throws
  func deleteAccount(project: String) async throws
}

/// Creates a team as a plan of steps, applied in order; when a step fails, the steps already done are undone
/// in reverse, so a failure half-way leaves nothing behind (and says so, or names what could not be undone).
public struct TeamCreator: Sendable {
  public enum Step: Sendable, Equatable, CustomStringConvertible {
    case createProject(name: String, domainID: String)
    case grant(role: String, roleName: String, user: String, userName: String)
    case createAccount

    public var description: String {
      switch self {
      case .createProject(let name, let domain): return "create project \(name) in domain \(domain)"
      case .grant(_, let roleName, _, let userName): return "grant role \(roleName) to user \(userName)"
      case .createAccount: return "open the billing account"
      }
    }
  }

  public struct Result: Sendable, Equatable {
    public var projectID: String
    public var steps: [Step]
  }

  public let backend: any TeamBackend
  let logger: Logger

  public init(backend: any TeamBackend, logger: Logger) {
    self.backend = backend
    self.logger = logger
  }

  /// Resolves every name first (nothing is written if one is wrong), then plans the steps.
  public func plan(_ request: TeamRequest) async throws -> (domainID: String, steps: [Step]) {
    try backend.validateAccount(settings: request.billing)
    let domainID = try await backend.resolveDomain(request.domain)
    if try await backend.projectExists(name: request.name, domainID: domainID) {
      throw APIError.conflict("name: a project named \(request.name) already exists in domain \(request.domain)")
    }
    var steps: [Step] = [.createProject(name: request.name, domainID: domainID)]
    for (index, member) in request.members.enumerated() {
      let user = try await backend.resolveUser(member.user, domainID: domainID, field: "members[\(index)].user")
      let role = try await backend.resolveRole(member.role, field: "members[\(index)].role")
      steps.append(.grant(role: role, roleName: member.role, user: user, userName: member.user))
    }
    steps.append(.createAccount)
    return (domainID, steps)
  }

  public func create(_ request: TeamRequest) async throws -> Result {
    let (_, steps) = try await plan(request)
    var projectID: String?
    var done: [Step] = []
    do {
      for step in steps {
        switch step {
        case .createProject(let name, let domainID):
          projectID = try await backend.createProject(
            name: name, domainID: domainID, description: request.description)
        case .grant(let role, _, let user, _):
          try await backend.grant(role: role, user: user, project: projectID!)
        case .createAccount:
          try await backend.createAccount(project: projectID!, name: request.name, settings: request.billing)
        }
        done.append(step)
      }
    } catch {
      let failed = steps[done.count]
      let leftovers = await undo(done, projectID: projectID)
      let reason = Self.reason(error)
      logger.error("team \(request.name): '\(failed)' failed (\(reason)); undid \(done.count) step(s)")
      var message = "team \(request.name) not created: \(failed) failed: \(reason)"
      message +=
        leftovers.isEmpty
        ? "; the \(done.count) step(s) before it were undone"
        : "; could not undo: \(leftovers.joined(separator: ", "))"
      if let api = error as? APIError {
        throw APIError(api.status, message)
      }
      throw APIError(.badGateway, message)
    }
    logger.info("team \(request.name) created as project \(projectID!) (\(steps.count) steps)")
    return Result(projectID: projectID!, steps: steps)
  }

  /// Undoes `done` in reverse; returns the steps that could not be undone.
  func undo(_ done: [Step], projectID: String?) async -> [String] {
    var leftovers: [String] = []
    for step in done.reversed() {
      do {
        switch step {
        case .createProject: if let projectID { try await backend.deleteProject(projectID) }
        case .grant(let role, _, let user, _):
          if let projectID { try await backend.revoke(role: role, user: user, project: projectID) }
        case .createAccount: if let projectID { try await backend.deleteAccount(project: projectID) }
        }
      } catch {
        leftovers.append("\(step) (\(Self.reason(error)))")
      }
    }
    return leftovers
  }

  static func reason(_ error: any Error) -> String {
    if let error = error as? APIError { return error.message }
    if let error = error as? OpenStackError {
      return error.message.isEmpty ? "HTTP \(error.status ?? 0)" : error.message
    }
    return String(describing: type(of: error))
  }
}

/// Keystone through the service's session; the billing account through `accounts`.
public struct KeystoneTeamBackend: TeamBackend {
  public let session: Session
  public let accounts: any TeamAccounts

  public init(session: Session, accounts: any TeamAccounts) {
    self.session = session
    self.accounts = accounts
  }

  public func resolveDomain(_ ident: String) async throws -> String {
    guard let domain = try await session.identity().domains.find(ident) else {
      throw APIError.badRequest("domain: no domain \(ident)")
    }
    return domain.id
  }

  public func resolveUser(_ ident: String, domainID: String, field: String) async throws -> String {
    guard let user = try await session.identity().users.find(ident, domainID: domainID) else {
      throw APIError.badRequest("\(field): no user \(ident)")
    }
    return user.id
  }

  public func resolveRole(_ ident: String, field: String) async throws -> String {
    guard let role = try await session.identity().roles.find(ident) else {
      throw APIError.badRequest("\(field): no role \(ident)")
    }
    return role.id
  }

  public func projectExists(name: String, domainID: String) async throws -> Bool {
    !(try await session.identity().projects.list(name: name, domainID: domainID)).isEmpty
  }

  public func createProject(name: String, domainID: String, description: String?) async throws -> String {
    try await session.identity().projects.create(
      ProjectCreate(name: name, domainID: domainID, description: description, enabled: true)
    ).id
  }

  public func deleteProject(_ id: String) async throws { try await session.identity().projects.delete(id) }

  public func grant(role: String, user: String, project: String) async throws {
    try await session.identity().roles.grant(role: role, user: user, on: .project(project))
  }

  public func revoke(role: String, user: String, project: String) async throws {
    try await session.identity().roles.revoke(role: role, user: user, on: .project(project))
  }

  public func validateAccount(settings: [String: OpenStack.JSONValue]) throws {
    try accounts.validate(settings: settings)
  }

  public func createAccount(project: String, name: String, settings: [String: OpenStack.JSONValue]) async throws {
    try await accounts.open(project: project, name: name, settings: settings)
  }

  public func deleteAccount(project: String) async throws { try await accounts.close(project: project) }
}

/// Billing accounts for new teams (the billing library's store); `NoTeamAccounts` when billing is off.
public protocol TeamAccounts: Sendable {
  /// 400 (`APIError`) naming the field for settings the account would refuse.
  func validate(settings: [String: OpenStack.JSONValue]) throws
  /// Opens the account; 400 (`APIError`) naming the field for bad settings.
  func open(project: String, name: String, settings: [String: OpenStack.JSONValue]) async throws
  func close(project: String) async throws
}

public struct NoTeamAccounts: TeamAccounts {
  public init() {}
  public func validate(settings: [String: OpenStack.JSONValue]) throws {
    if let field = settings.keys.sorted().first {
      throw APIError.badRequest("billing.\(field): this service runs without billing")
    }
  }
  public func open(project: String, name: String, settings: [String: OpenStack.JSONValue]) async throws {}
  public func close(project: String) async throws {}
}
