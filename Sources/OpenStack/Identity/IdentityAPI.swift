/// Keystone v3: the resources onboarding and the services need.
public struct IdentityAPI: Sendable {
  public let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  public var domains: DomainsAPI { DomainsAPI(client) }
  public var projects: ProjectsAPI { ProjectsAPI(client) }
  public var users: UsersAPI { UsersAPI(client) }
  public var roles: RolesAPI { RolesAPI(client) }
  public var tokens: TokensAPI { TokensAPI(client) }
}
