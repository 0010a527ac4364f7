import Foundation

/// Keystone's token validation (`GET /v3/auth/tokens` with `X-Subject-Token`), what a service does with the
/// tokens its callers send. The session's own token authorizes the call, so the session's user needs the
/// `identity:validate_token` permission (a service or admin user).
public struct TokensAPI: Sendable {
  let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  /// The validated token with its scope and roles, or an `OpenStackError` with status 404 when Keystone does not
  /// know it (expired, revoked, made up).
  /// - Parameter catalog: services rarely need the caller's catalog; leaving it out saves most of the answer.
  public func validate(_ subjectToken: String, catalog: Bool = false) async throws -> Token {
    let response = try await client.send(
      .GET, ["auth", "tokens"], query: catalog ? [] : [URLQueryItem(name: "nocatalog", value: nil)],
      headers: ["X-Subject-Token": subjectToken])
    do {
      return try Token(value: subjectToken, body: response.body)
    } catch {
      throw OpenStackError(
        kind: .invalidResponse, method: "GET", url: client.url(["auth", "tokens"]).absoluteString,
        status: response.status, requestID: response.requestID, message: "the token could not be read: \(error)")
    }
  }
}
