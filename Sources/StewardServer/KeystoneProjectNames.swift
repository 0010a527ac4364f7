import Foundation
import Logging
import OpenStack

/// Project names by id, from Keystone's project list with a service's own credentials, cached for `ttl`
/// (notifications, leases and ledger rows carry only ids). When Keystone cannot be asked the last list is
/// kept. Shared by the leasing and metering services.
public actor KeystoneProjectNames {
  let session: Session
  let ttl: TimeInterval
  let logger: Logger
  private var cached: (names: [String: String], at: Date)?
  /// Ids the last listing lacked, looked up one by one (nil: Keystone has no such project).
  private var single: [String: (name: String?, at: Date)] = [:]

  public init(session: Session, ttl: TimeInterval = 60, logger: Logger = Logger(label: "steward.keystone-names")) {
    self.session = session
    self.ttl = ttl
    self.logger = logger
  }

  public func names() async -> [String: String] {
    if let cached, Date().timeIntervalSince(cached.at) < ttl { return cached.names }
    let projects: [Project]
    do {
      projects = try await session.identity().projects.list()
    } catch {
      logger.warning("listing Keystone projects failed, names may show as ids: \(error)")
      return cached?.names ?? [:]
    }
    var result: [String: String] = [:]
    for project in projects { result[project.id] = project.name }
    cached = (result, Date())
    single = [:]
    return result
  }

  /// `names()` plus each of `ids` it lacks, asked of Keystone one by one (a project made since the last
  /// listing, or a listing that failed), so a page shows a bare id only for a project Keystone does not know.
  public func names(including ids: some Sequence<String>) async -> [String: String] {
    var result = await names()
    let now = Date()
    for id in Set(ids) where !id.isEmpty && result[id] == nil {
      if let known = single[id], now.timeIntervalSince(known.at) < ttl {
        if let name = known.name { result[id] = name }
        continue
      }
      do {
        let name = try await session.identity().projects.get(id).name
        single[id] = (name, now)
        result[id] = name
      } catch let error as OpenStackError where error.isNotFound {
        single[id] = (nil, now)
      } catch {
        logger.warning("looking up Keystone project \(id) failed: \(error)")
      }
    }
    return result
  }

  /// Forgets the cache (after a service created a project).
  public func invalidate() {
    cached = nil
    single = [:]
  }
}
