import Hummingbird
import Logging

/// The request context of every Steward service: Hummingbird's core storage plus the authenticated caller.
public struct StewardRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// Set by `KeystoneAuthMiddleware`; nil only on the public routes (`/healthz`, version documents).
  public var caller: Caller?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    caller = nil
  }

  /// The caller, or 401 when a route that needs one was reached without (a wiring mistake, not a user's).
  public func requireCaller() throws -> Caller {
    guard let caller else { throw APIError.unauthorized("authentication required") }
    return caller
  }
}
