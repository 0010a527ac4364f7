import Foundation
import OpenStack

/// Project names by id for listings and the dashboard: Keystone's projects listed with the service's
/// credentials and cached for `ttl` (Keystone notifications carry only ids).
public protocol ProjectNameSource: Sendable {
  func names() async -> [String: String]
}

public struct NoProjectNames: ProjectNameSource {
  public init() {}
  public func names() async -> [String: String] { [:] }
}

public struct FixedProjectNames: ProjectNameSource {
  public let known: [String: String]
  public init(_ known: [String: String]) { self.known = known }
  public func names() async -> [String: String] { known }
}

public actor KeystoneProjectNames: ProjectNameSource {
  let session: Session
  let ttl: TimeInterval
  private var cached: (names: [String: String], at: Date)?

  public init(session: Session, ttl: TimeInterval = 60) {
    self.session = session
    self.ttl = ttl
  }

  public func names() async -> [String: String] {
    if let cached, Date().timeIntervalSince(cached.at) < ttl { return cached.names }
    guard let projects = try? await session.identity().projects.list() else { return cached?.names ?? [:] }
    var result: [String: String] = [:]
    for project in projects { result[project.id] = project.name }
    cached = (result, Date())
    return result
  }

  /// Forgets the cache (after the service created a team).
  public func invalidate() { cached = nil }
}
