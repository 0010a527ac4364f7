import Foundation
import Logging
import OpenStack

/// Turns the `X-Auth-Token` a caller sent into a `Caller`, or throws `APIError` 401.
public protocol TokenValidator: Sendable {
  func validate(_ token: String) async throws -> Caller
}

/// Validates tokens against Keystone with the service's own session and remembers valid answers briefly, so a
/// busy client costs one Keystone call per `ttl` rather than one per request. A revoked token therefore keeps
/// working for at most `ttl` (keystonemiddleware's `token_cache_time` trade-off; default 60 s here).
public actor KeystoneTokenValidator: TokenValidator {
  let session: Session
  let ttl: TimeInterval
  let maxEntries: Int
  let logger: Logger
  private var cache: [String: (caller: Caller, until: Date)] = [:]
  private var pending: [String: Task<Caller, Error>] = [:]

  public init(session: Session, ttl: TimeInterval = 60, maxEntries: Int = 10_000, logger: Logger) {
    self.session = session
    self.ttl = ttl
    self.maxEntries = maxEntries
    self.logger = logger
  }

  public func validate(_ token: String) async throws -> Caller {
    let now = Date()
    if let entry = cache[token] {
      if entry.until > now { return entry.caller }
      cache[token] = nil
    }
    // Concurrent requests with the same new token share one Keystone call.
    if let task = pending[token] { return try await task.value }
    let session = session
    let task = Task { () throws -> Caller in
      do {
        let validated = try await session.identity().tokens.validate(token)
        return Caller(token: validated)
      } catch let error as OpenStackError where error.status == 404 || error.status == 401 {
        throw APIError.unauthorized("the token is not valid (expired, revoked or unknown to Keystone)")
      } catch let error as OpenStackError {
        throw APIError(.serviceUnavailable, "Keystone could not validate the token: \(error.message)")
      }
    }
    pending[token] = task
    defer { pending[token] = nil }
    let caller = try await task.value
    if cache.count >= maxEntries { evict(now: now) }
    cache[token] = (caller, min(now.addingTimeInterval(ttl), caller.expiresAt))
    return caller
  }

  private func evict(now: Date) {
    cache = cache.filter { $0.value.until > now }
    if cache.count >= maxEntries { cache.removeAll(keepingCapacity: true) }
  }
}

/// Fixed tokens for unit tests of the HTTP layer (no Keystone).
public struct StaticTokenValidator: TokenValidator {
  public let callers: [String: Caller]

  public init(_ callers: [String: Caller]) { self.callers = callers }

  public func validate(_ token: String) async throws -> Caller {
    guard let caller = callers[token] else { throw APIError.unauthorized("the token is not valid") }
    return caller
  }
}
