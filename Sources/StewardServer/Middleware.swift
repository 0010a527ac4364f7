import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenStack

/// Requires a valid `X-Auth-Token` on every route except the public ones.
public struct KeystoneAuthMiddleware: RouterMiddleware {
  public typealias Context = StewardRequestContext
  let validator: any TokenValidator
  let publicPaths: Set<String>
  /// Path prefixes that authenticate by other means (a dashboard's session cookie) or not at all.
  let publicPrefixes: [String]

  public init(
    validator: any TokenValidator, publicPaths: Set<String> = ["/", "/healthz", "/v1", "/v1/"],
    publicPrefixes: [String] = []
  ) {
    self.validator = validator
    self.publicPaths = publicPaths
    self.publicPrefixes = publicPrefixes
  }

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let path = request.uri.path
    if publicPaths.contains(path) || publicPrefixes.contains(where: { path.hasPrefix($0) }) {
      return try await next(request, context)
    }
    guard let token = request.headers[HTTPField.Name("X-Auth-Token")!], !token.isEmpty else {
      throw APIError.unauthorized("authentication required: send a Keystone token in X-Auth-Token")
    }
    var context = context
    context.caller = try await validator.validate(token)
    if let project = context.caller?.projectID { context.logger[metadataKey: "project"] = .string(project) }
    return try await next(request, context)
  }
}

/// Turns every error into a JSON answer: `APIError` as it is, Hummingbird's own HTTP errors with their status,
/// anything else as 500 with the request id (the details go to the log, not to the caller).
public struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
  public init() {}

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch let error as APIError {
      return error.makeResponse()
    } catch let error as HTTPError {
      return APIError(error.status, error.body ?? error.status.reasonPhrase).makeResponse()
    } catch let error as any HTTPResponseError {
      return APIError(error.status, error.status.reasonPhrase).makeResponse()
    } catch {
      context.logger.error("internal error: \(Self.loggable(error))")
      return APIError(.internalServerError, "internal error (request \(context.id)); see the service log")
        .makeResponse()
    }
  }

  /// What the log may say about an unexpected error: an OpenStack call's facts (method, URL, status, the
  /// service's message), otherwise only the error's type, because an error value's fields may hold a
  /// password or token.
  static func loggable(_ error: any Error) -> String {
    if let error = error as? OpenStackError { return error.description }
    return String(reflecting: type(of: error))
  }
}

/// One log line per request: method, path, status, time, project. Never headers or bodies, so tokens and
/// passwords cannot reach the log; query strings pass through `maskQuery`.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
  let level: Logger.Level

  public init(level: Logger.Level = .info) { self.level = level }

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    let response = try await next(request, context)
    let elapsed = ContinuousClock.now - start
    let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
    context.logger.log(
      level: level,
      "\(request.method) \(Self.maskQuery(request.uri.description)) \(response.status.code) \(String(format: "%.1f", milliseconds)) ms"
    )
    return response
  }

  /// Hides the values of query parameters that could carry secrets.
  static func maskQuery(_ uri: String) -> String {
    guard let question = uri.firstIndex(of: "?") else { return uri }
    let path = uri[..<question]
    let query = uri[uri.index(after: question)...].split(separator: "&").map { pair -> String in
      let parts = pair.split(separator: "=", maxSplits: 1)
      let name = parts.first.map(String.init) ?? ""
      let secret = ["token", "password", "secret", "auth"].contains { name.lowercased().contains($0) }
      return secret && parts.count == 2 ? "\(name)=***" : String(pair)
    }
    return path + "?" + query.joined(separator: "&")
  }
}
