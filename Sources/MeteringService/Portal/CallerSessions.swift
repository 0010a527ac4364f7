import Foundation
import Logging
import OpenStack
import StewardServer

/// OpenStack sessions that act as the caller: built from the caller's own token (Keystone's token method,
/// re-scoped to the caller's project), so Nova, Cinder and Heat apply their own policies to every portal
/// action and the service never acts with more rights than the person asking. Kept while the token lives,
/// at most `maxEntries`.
public actor CallerSessions {
  let base: CloudConfig
  let logger: Logger
  let maxEntries: Int
  private var sessions: [String: (session: Session, until: Date)] = [:]

  /// - Parameter base: the service's own cloud (auth URL, region, interface, TLS settings are reused).
  public init(base: CloudConfig, maxEntries: Int = 1_000, logger: Logger) {
    self.base = base
    self.maxEntries = maxEntries
    self.logger = logger
  }

  public func session(token: String, caller: Caller) -> Session {
    let now = Date()
    if let entry = sessions[token], entry.until > now { return entry.session }
    if sessions.count >= maxEntries { evict(now: now) }
    var auth = AuthSettings(authURL: base.auth.authURL)
    auth.token = token
    if let project = caller.projectID {
      auth.projectID = project
    } else if caller.isSystemScoped {
      auth.systemScope = "all"
    } else if let domain = caller.domainID {
      auth.domainID = domain
    }
    let config = CloudConfig(
      name: "caller", authType: .token, auth: auth, regionName: base.regionName, interface: base.interface,
      verifyTLS: base.verifyTLS, caCertificateFile: base.caCertificateFile, apiTimeout: base.apiTimeout,
      endpointOverrides: base.endpointOverrides)
    let session = Session(config: config, logger: logger)
    sessions[token] = (session, caller.expiresAt)
    return session
  }

  private func evict(now: Date) {
    let stale = sessions.filter { $0.value.until <= now }
    for (token, entry) in stale {
      sessions[token] = nil
      let session = entry.session
      Task { await session.shutdown() }
    }
    if sessions.count >= maxEntries, let oldest = sessions.min(by: { $0.value.until < $1.value.until }) {
      sessions[oldest.key] = nil
      let session = oldest.value.session
      Task { await session.shutdown() }
    }
  }

  public func shutdown() async {
    for entry in sessions.values { await entry.session.shutdown() }
    sessions.removeAll()
  }
}
