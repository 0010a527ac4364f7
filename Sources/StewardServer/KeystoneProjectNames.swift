import Foundation
import OpenStack

/// Project names by id, from Keystone's project list with a service's own credentials, cached for `ttl`
/// (notifications, leases and ledger rows carry only ids). When Keystone cannot be asked the last list is
/// kept. Shared by the leasing and metering services.
public actor KeystoneProjectNames {
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

  /// Forgets the cache (after a service created a project).
  public func invalidate() { cached = nil }
}
