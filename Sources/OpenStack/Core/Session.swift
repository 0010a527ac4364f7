import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The only place that knows the token: authenticates once, shares one re-authentication among all
/// concurrent callers, retries what may be retried, applies timeouts and writes the debug log with
/// secrets masked. Service clients borrow it to send their requests.
public actor Session {
  public nonisolated let config: CloudConfig
  nonisolated let transport: any HTTPTransport
  nonisolated let retryPolicy: RetryPolicy
  nonisolated let logger: Logger
  /// Replace a token this long before it expires, so no request starts with one about to lapse.
  nonisolated let expiryMargin: TimeInterval

  private var token: Token?
  private var pendingAuthentication: Task<Token, Error>?
  private var identityBase: URL?
  private var clients: [ServiceType: Task<ServiceClient, Error>] = [:]
  private var ownsTransport: Bool
  private var requestCount = 0

  /// - Parameters:
  ///   - transport: defaults to async-http-client configured from the cloud's `verify`/`cacert`; the
  ///     session then owns it and `shutdown()` closes it.
  ///   - logger: request/response lines are written at `.debug`.
  public init(
    config: CloudConfig, transport: (any HTTPTransport)? = nil, retryPolicy: RetryPolicy = RetryPolicy(),
    logger: Logger = Logger(label: "steward.openstack"), expiryMargin: TimeInterval = 120
  ) {
    self.config = config
    self.transport =
      transport ?? AsyncHTTPTransport(verifyTLS: config.verifyTLS, caCertificateFile: config.caCertificateFile)
    self.ownsTransport = transport == nil
    self.retryPolicy = retryPolicy
    self.logger = logger
    self.expiryMargin = expiryMargin
  }

  /// Runs `body` with a new session for `config` and closes the session afterwards, whatever happens.
  public static func with<T: Sendable>(
    _ config: CloudConfig, logger: Logger = Logger(label: "steward.openstack"),
    retryPolicy: RetryPolicy = RetryPolicy(),
    _ body: (Session) async throws -> T
  ) async throws -> T {
    let session = Session(config: config, retryPolicy: retryPolicy, logger: logger)
    do {
      let result = try await body(session)
      await session.shutdown()
      return result
    } catch {
      await session.shutdown()
      throw error
    }
  }

  public func shutdown() async {
    if ownsTransport {
      ownsTransport = false
      try? await transport.shutdown()
    }
  }

  /// How many HTTP requests this session sent (authentication and retries included); benchmarks report it.
  public var sentRequests: Int { requestCount }

  fileprivate func countRequest() { requestCount += 1 }

  // MARK: - authentication

  /// A valid token: the cached one, or a new one when there is none or it is about to expire.
  /// Concurrent callers share one authentication request.
  public func currentToken() async throws -> Token {
    if let token, !token.expires(within: expiryMargin) { return token }
    if let pendingAuthentication { return try await pendingAuthentication.value }
    let task = Task { try await self.authenticate() }
    pendingAuthentication = task
    defer { pendingAuthentication = nil }
    let fresh = try await task.value
    token = fresh
    return fresh
  }

  /// Forgets `stale` (after a 401) unless another caller already replaced it.
  func invalidate(_ stale: String) {
    if token?.value == stale { token = nil }
  }

  private func authenticate() async throws -> Token {
    let base = try await resolvedIdentityBase()
    let authenticator = KeystoneAuthenticator(settings: config.auth, authType: config.authType)
    let body = try JSONEncoder().encode(authenticator.requestBody())
    let url = base.appendingPathComponent("auth").appendingPathComponent("tokens")
    var headers: HTTPHeaders = ["Content-Type": "application/json", "Accept": "application/json"]
    if config.authType == .token, let value = config.auth.token {
      headers.add(name: "X-Auth-Token", value: value)
    }
    let request = HTTPRequest(method: .POST, url: url, headers: headers, body: .data(body), timeout: timeout)
    let response: HTTPResponse
    do {
      // Issuing a token has no side effect a retry could repeat, so it is retried like a GET.
      response = try await perform(request, idempotent: true)
    } catch let error as OpenStackError where error.status == 401 || error.status == 403 {
      throw OpenStackError(
        kind: .authentication, method: "POST", url: url.absoluteString, status: error.status,
        requestID: error.requestID,
        message:
          "\(error.message.isEmpty ? "rejected" : error.message) (check the credentials and scope of cloud '\(config.name)')"
      )
    }
    guard let value = response.headers.first(name: "X-Subject-Token") else {
      throw OpenStackError(
        kind: .invalidResponse, method: "POST", url: url.absoluteString, status: response.status,
        requestID: response.requestID, message: "Keystone answered without an X-Subject-Token header")
    }
    do {
      return try Token(value: value, body: response.body)
    } catch {
      throw OpenStackError(
        kind: .invalidResponse, method: "POST", url: url.absoluteString, status: response.status,
        requestID: response.requestID, message: "the token could not be read: \(error)")
    }
  }

  private func resolvedIdentityBase() async throws -> URL {
    if let identityBase { return identityBase }
    let authURL = config.auth.authURL
    var discovered: Data?
    let trimmed = authURL.hasSuffix("/") ? String(authURL.dropLast()) : authURL
    if !trimmed.hasSuffix("/v3"), let url = URL(string: authURL) {
      let request = HTTPRequest(method: .GET, url: url, headers: ["Accept": "application/json"], timeout: timeout)
      // Keystone answers version discovery with 300 Multiple Choices. An unreachable Keystone ends here;
      // an answer without a version document falls back to `<auth_url>/v3`.
      do {
        discovered = try await perform(request, idempotent: true).body
      } catch let error as OpenStackError where error.isTransport {
        throw error
      } catch {
        discovered = nil
      }
    }
    guard let base = KeystoneAuthenticator.identityBase(authURL: authURL, discovered: discovered) else {
      throw ConfigError("cloud '\(config.name)': auth_url '\(authURL)' is not a valid URL")
    }
    identityBase = base
    return base
  }

  nonisolated var timeout: TimeAmount { .milliseconds(Int64(config.apiTimeout * 1000)) }

  // MARK: - service clients

  /// A client for one service, its endpoint taken from the catalog (or an `*_endpoint_override`) and
  /// its microversion negotiated once per session.
  public func client(_ service: ServiceType) async throws -> ServiceClient {
    // Concurrent first callers share one endpoint lookup and one version discovery, as with the token.
    if let existing = clients[service] { return try await existing.value }
    let task = Task { try await self.makeClient(service) }
    clients[service] = task
    do {
      return try await task.value
    } catch {
      clients[service] = nil
      throw error
    }
  }

  private func makeClient(_ service: ServiceType) async throws -> ServiceClient {
    let token = try await currentToken()
    let endpoint: String
    if let override = config.endpointOverrides[service.type] {
      endpoint = override
    } else {
      endpoint = try token.catalog.endpoint(
        type: service.type, interface: config.interface, region: config.regionName)
    }
    let substituted = Self.substituteProject(in: endpoint, projectID: token.project?.id)
    guard let base = Self.versionedBase(substituted, versionPath: service.versionPath) else {
      throw OpenStackError.endpointNotFound("the catalog's \(service.type) endpoint '\(endpoint)' is not a URL")
    }
    var client = ServiceClient(session: self, service: service, baseURL: base, microversion: nil)
    if let highest = service.highestKnown {
      client.microversion = try await negotiate(client, highestKnown: highest)
    }
    return client
  }

  static func substituteProject(in endpoint: String, projectID: String?) -> String {
    guard let projectID else { return endpoint }
    return endpoint.replacingOccurrences(of: "%(projectID)s", with: projectID)
      .replacingOccurrences(of: "$(projectID)s", with: projectID)
      .replacingOccurrences(of: "%(tenantID)s", with: projectID)
      .replacingOccurrences(of: "$(tenantID)s", with: projectID)
  }

  /// Appends the version path unless the endpoint already names the same major version
  /// (`…:8774/v2.1`, `…:8776/v3/<project>`).
  static func versionedBase(_ endpoint: String, versionPath: String?) -> URL? {
    var text = endpoint
    while text.hasSuffix("/") { text.removeLast() }
    guard let url = URL(string: text), url.host != nil else { return nil }
    guard let versionPath else { return url }
    let major = versionPath.split(separator: ".").first.map(String.init) ?? versionPath
    let segments = url.path.split(separator: "/")
    let named = segments.contains { segment in
      segment == major || segment.hasPrefix(major + ".")
    }
    return named ? url : URL(string: text + "/" + versionPath)
  }

  /// Asks the service for its microversion range and picks the highest both sides know.
  private func negotiate(_ client: ServiceClient, highestKnown: Microversion) async throws -> Microversion {
    var range = try? await discoverRange(client, url: client.baseURL)
    if range == nil, var components = URLComponents(url: client.baseURL, resolvingAgainstBaseURL: false) {
      components.path = "/"
      if let root = components.url { range = try? await discoverRange(client, url: root) }
    }
    guard let (minimum, maximum) = range else {
      // A service that publishes no range speaks only its base version.
      logger.debug("no microversion range found for \(client.service.type); using its base version")
      return client.service.baseMicroversion ?? Microversion(highestKnown.major, 0)
    }
    let chosen = min(maximum, highestKnown)
    guard chosen >= minimum else {
      throw OpenStackError(
        kind: .unsupportedVersion, method: "GET", url: client.baseURL.absoluteString,
        message:
          "\(client.service.type) supports microversions \(minimum)–\(maximum); Steward needs at most \(highestKnown)")
    }
    return chosen
  }

  private func discoverRange(_ client: ServiceClient, url: URL) async throws -> (Microversion, Microversion)? {
    let token = try await currentToken()
    let request = HTTPRequest(
      method: .GET, url: url, headers: ["Accept": "application/json", "X-Auth-Token": token.value],
      timeout: timeout)
    let response = try await perform(request, idempotent: true)
    if let maxText = response.headers.first(name: "X-OpenStack-Ironic-API-Maximum-Version"),
      let maximum = Microversion(maxText)
    {
      let minimum = response.headers.first(name: "X-OpenStack-Ironic-API-Minimum-Version").flatMap(
        Microversion.init)
      return (minimum ?? Microversion(1, 1), maximum)
    }
    return Self.versionRange(in: response.body, major: client.service.highestKnown?.major)
  }

  /// Reads `{"version": {...}}`, `{"versions": [...]}` or `{"versions": {"values": [...]}}`, using
  /// `version` or `max_version` for the maximum (placement says `max_version`).
  static func versionRange(in body: Data, major: Int?) -> (Microversion, Microversion)? {
    guard let document = try? JSONDecoder().decode(JSONValue.self, from: body) else { return nil }
    var entries: [JSONValue] = []
    if let single = document["version"] { entries.append(single) }
    if let list = document["versions"]?.arrayValue { entries += list }
    if let list = document["versions"]?["values"]?.arrayValue { entries += list }
    if let single = document["default_version"] { entries.append(single) }
    for entry in entries {
      let maxText = entry["version"]?.stringValue ?? entry["max_version"]?.stringValue
      guard let maxText, !maxText.isEmpty, let maximum = Microversion(maxText) else { continue }
      if let major, maximum.major != major { continue }
      let minimum = entry["min_version"]?.stringValue.flatMap(Microversion.init) ?? Microversion(maximum.major, 0)
      return (minimum, maximum)
    }
    return nil
  }

  // MARK: - sending

  /// Sends an authenticated request: adds the token, re-authenticates once on 401, retries what the
  /// policy allows, and turns any answer of 400 or more into an `OpenStackError`.
  nonisolated func sendAuthenticated(_ request: HTTPRequest, idempotent: Bool? = nil) async throws -> HTTPResponse {
    var attemptRequest = request
    var reauthenticated = false
    while true {
      let token = try await currentToken()
      attemptRequest.headers.replaceOrAdd(name: "X-Auth-Token", value: token.value)
      do {
        return try await perform(attemptRequest, idempotent: idempotent)
      } catch let error as OpenStackError where error.status == 401 && !reauthenticated {
        // The token was revoked or expired early: get one new token (shared by all callers) and try once more.
        await invalidate(token.value)
        reauthenticated = true
        guard request.body.isReplayable else { throw error }
      }
    }
  }

  /// One request with the retry policy; no authentication.
  nonisolated func perform(_ request: HTTPRequest, idempotent: Bool?) async throws -> HTTPResponse {
    let mayRetry = (idempotent ?? RetryPolicy.isIdempotent(request.method)) && request.body.isReplayable
    let attempts = mayRetry ? retryPolicy.maxAttempts : 1
    var attempt = 0
    while true {
      attempt += 1
      try Task.checkCancellation()
      let started = ContinuousClock.now
      await countRequest()
      logRequest(request, attempt: attempt)
      let response: HTTPResponse
      do {
        response = try await transport.execute(request)
      } catch let error as CancellationError {
        throw error
      } catch {
        let failure = Self.transportError(error, request: request)
        logger.debug("RESP: \(request.method) \(request.url.absoluteString) failed: \(failure.message)")
        if attempt < attempts {
          try await Task.sleep(for: retryPolicy.delay(attempt: attempt, retryAfter: nil))
          continue
        }
        throw failure
      }
      logResponse(response, request: request, elapsed: ContinuousClock.now - started)
      if response.status < 400 { return response }
      if attempt < attempts && retryPolicy.shouldRetry(status: response.status) {
        try await Task.sleep(
          for: retryPolicy.delay(attempt: attempt, retryAfter: response.headers.first(name: "Retry-After")))
        continue
      }
      throw OpenStackError(
        kind: .http, method: request.method.rawValue, url: request.url.absoluteString, status: response.status,
        requestID: response.requestID,
        message: OpenStackError.serviceMessage(
          from: response.body, contentType: response.headers.first(name: "Content-Type")))
    }
  }

  static func transportError(_ error: Error, request: HTTPRequest) -> OpenStackError {
    let text = String(describing: error)
    let isTimeout = text.localizedCaseInsensitiveContains("timeout") || text.contains("deadlineExceeded")
    var message = text
    if text.contains("connectionRefused") || text.contains("Connection refused") {
      message = "connection refused (is the service running and the URL right?)"
    } else if isTimeout {
      message = "no answer in time"
    } else if text.contains("remoteConnectionClosed") {
      message = "the server closed the connection"
    }
    return OpenStackError(
      kind: isTimeout ? .timeout : .transport, method: request.method.rawValue, url: request.url.absoluteString,
      message: message)
  }

  // MARK: - debug log

  nonisolated private func logRequest(_ request: HTTPRequest, attempt: Int) {
    guard logger.logLevel <= .debug else { return }
    var line = "REQ: \(request.method) \(request.url.absoluteString)"
    if attempt > 1 { line += " (attempt \(attempt))" }
    line += " " + Redaction.headers(request.headers)
    if case .data(let data) = request.body { line += " body: " + Redaction.body(data) }
    logger.debug("\(line)")
  }

  nonisolated private func logResponse(_ response: HTTPResponse, request: HTTPRequest, elapsed: Duration) {
    guard logger.logLevel <= .debug else { return }
    let millis = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    var line = "RESP: \(response.status) \(request.method) \(request.url.absoluteString) \(millis) ms"
    line += " " + Redaction.headers(response.headers)
    if !response.body.isEmpty { line += " body: " + Redaction.body(response.body.prefix(4096)) }
    logger.debug("\(line)")
  }
}
