import Foundation
import StewardServer

/// A signed-in dashboard user: who Keystone said they are and their token (for portal actions), kept only
/// in this process's memory. The browser holds a random id in an HttpOnly, SameSite=Strict cookie; forms
/// carry `csrf` as well.
public struct DashboardSession: Sendable {
  public var id: String
  public var caller: Caller
  public var token: String
  public var csrf: String
  public var expiresAt: Date
}

/// Server-side sessions: random 256-bit ids, expiring with the Keystone token or after `idleTimeout` without
/// use, whichever is first.
public actor DashboardSessions {
  let idleTimeout: TimeInterval
  let maxSessions: Int
  private var sessions: [String: (session: DashboardSession, lastUsed: Date)] = [:]

  public init(idleTimeout: TimeInterval = 3600, maxSessions: Int = 10_000) {
    self.idleTimeout = idleTimeout
    self.maxSessions = maxSessions
  }

  public func create(caller: Caller, token: String, now: Date = Date()) -> DashboardSession {
    if sessions.count >= maxSessions { purge(now: now) }
    if sessions.count >= maxSessions, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
      sessions[oldest.key] = nil
    }
    let session = DashboardSession(
      id: Self.randomID(), caller: caller, token: token, csrf: Self.randomID(), expiresAt: caller.expiresAt)
    sessions[session.id] = (session, now)
    return session
  }

  public func session(_ id: String, now: Date = Date()) -> DashboardSession? {
    guard let entry = sessions[id] else { return nil }
    if entry.session.expiresAt <= now || now.timeIntervalSince(entry.lastUsed) > idleTimeout {
      sessions[id] = nil
      return nil
    }
    sessions[id] = (entry.session, now)
    return entry.session
  }

  public func remove(_ id: String) { sessions[id] = nil }

  public var count: Int { sessions.count }

  private func purge(now: Date) {
    sessions = sessions.filter {
      $0.value.session.expiresAt > now && now.timeIntervalSince($0.value.lastUsed) <= idleTimeout
    }
  }

  static func randomID() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
  }
}

/// Checks a user's Keystone credentials for the login form.
public protocol DashboardAuthenticator: Sendable {
  /// The caller and a token for the user; `APIError` 401 when Keystone refuses the credentials.
  func login(username: String, password: String, project: String?, domain: String) async throws -> (Caller, String)
}

/// Fixed users for tests of the dashboard without Keystone.
public struct StaticAuthenticator: DashboardAuthenticator {
  public let users: [String: (password: String, caller: Caller, token: String)]

  public init(_ users: [String: (password: String, caller: Caller, token: String)]) { self.users = users }

  public func login(username: String, password: String, project: String?, domain: String) async throws -> (
    Caller, String
  ) {
    guard let user = users[username], user.password == password else {
      throw APIError.unauthorized("the user name or password is wrong")
    }
    return (user.caller, user.token)
  }
}
