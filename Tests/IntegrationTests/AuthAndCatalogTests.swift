import Foundation
import OpenStack
import Testing

@Suite("Keystone authentication and the catalog, against the real local cloud", .testCloud)
struct AuthAndCatalogTests {
  @Test(arguments: ["steward-admin", "steward-demo", "steward-demo2"])
  func projectScopedTokens(cloud: String) async throws {
    let token = try await TestCloud.with(cloud) { try await $0.currentToken() }
    #expect(token.project?.name == String(cloud.dropFirst("steward-".count)))
    #expect(token.expiresAt > Date())
    #expect(token.roles.contains { $0.name == "member" || $0.name == "admin" })
  }

  @Test func systemScopedToken() async throws {
    let token = try await TestCloud.with("steward-system") { try await $0.currentToken() }
    #expect(token.isSystemScoped)
    #expect(token.project == nil)
  }

  /// A domain manager (what onboarding creates) gets a domain-scoped token; the auth URL without
  /// `/v3` is resolved by version discovery.
  @Test func domainScopedTokenAndVersionDiscovery() async throws {
    let password = "pw-\(UUID().uuidString)"
    let (domain, user) = try await TestCloud.with("steward-admin") { session in
      let identity = try await session.identity()
      let domain = try await identity.domains.create(DomainCreate(name: TestCloud.name("scope")))
      let user = try await identity.users.create(UserCreate(name: "dm", domainID: domain.id, password: password))
      let manager = try #require(try await identity.roles.find("manager"))
      try await identity.roles.grant(role: manager.id, user: user.id, on: .domain(domain.id))
      return (domain, user)
    }
    var auth = AuthSettings(authURL: "http://127.0.0.1:5000")
    auth.username = "dm"
    auth.password = password
    auth.userDomainID = domain.id
    auth.domainID = domain.id
    let session = Session(config: CloudConfig(name: "dm", authType: .password, auth: auth))
    let token = try await session.currentToken()
    await session.shutdown()
    #expect(token.domain?.id == domain.id)
    #expect(token.roles.contains { $0.name == "manager" })
    try await TestCloud.with("steward-admin") { session in
      let identity = try await session.identity()
      try await identity.users.delete(user.id)
      try await identity.domains.delete(domain.id)
    }
  }

  @Test func tokenIsReusedAcrossCalls() async throws {
    try await TestCloud.with("steward-admin") { session in
      let identity = try await session.identity()
      let before = await session.sentRequests
      for _ in 0..<3 { _ = try await identity.domains.list() }
      #expect(await session.sentRequests == before + 3)
    }
  }

  @Test func wrongPasswordIsUnauthorized() async throws {
    var config = try TestCloud.config("steward-demo")
    config.auth.password = "wrong"
    let session = Session(config: config)
    defer { Task { await session.shutdown() } }
    do {
      _ = try await session.currentToken()
      Issue.record("a wrong password was accepted")
    } catch let error as OpenStackError {
      #expect(error.isUnauthorized)
      #expect(error.status == 401)
      #expect(error.requestID != nil)
    }
  }

  @Test func unreachableEndpointIsATransportError() async throws {
    var config = try TestCloud.config("steward-demo")
    config.auth.authURL = "http://127.0.0.1:1/v3"
    let session = Session(config: config, retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10)))
    defer { Task { await session.shutdown() } }
    await #expect(throws: OpenStackError.self) { _ = try await session.currentToken() }
  }

  @Test func catalogHasEveryServiceOfTheTestCloud() async throws {
    try await TestCloud.with("steward-admin") { session in
      for service in [ServiceType.identity, .compute, .image, .network, .baremetal, .placement] {
        let client = try await session.client(service)
        #expect(client.baseURL.host == "127.0.0.1", "\(service)")
      }
      #expect(try await session.client(.compute).supports(Microversion(2, 61)))
      #expect(try await session.client(.baremetal).supports(Microversion(1, 65)))
    }
  }
}
