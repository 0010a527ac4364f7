import OpenStack

/// What the cloud already has of a tenant, observed before planning so a re-run changes nothing and a
/// run that failed half-way resumes where it stopped.
public struct TenantState: Sendable {
  public var domain: Domain?
  public var project: Project?
  public var user: User?
  /// Role name → id, for the roles the spec needs; a missing name means the role does not exist.
  public var roleIDs: [String: String]
  /// Names of roles the user already has on the project, and on the domain.
  public var projectGrants: Set<String>
  public var domainGrants: Set<String>
  public var network: Network?
  public var subnet: Subnet?
  public var router: Router?
  /// The external network chosen for the router gateway, when a network is wanted.
  public var externalNetwork: Network?
  /// True when the router already has an interface on the subnet.
  public var routerHasInterface: Bool
  /// The files onboarding writes, as they are on disk now (path → content), `nil` content when absent.
  public var files: [String: String?]

  public init(
    domain: Domain? = nil, project: Project? = nil, user: User? = nil, roleIDs: [String: String] = [:],
    projectGrants: Set<String> = [], domainGrants: Set<String> = [], network: Network? = nil, subnet: Subnet? = nil,
    router: Router? = nil, externalNetwork: Network? = nil, routerHasInterface: Bool = false,
    files: [String: String?] = [:]
  ) {
    self.domain = domain
    self.project = project
    self.user = user
    self.roleIDs = roleIDs
    self.projectGrants = projectGrants
    self.domainGrants = domainGrants
    self.network = network
    self.subnet = subnet
    self.router = router
    self.externalNetwork = externalNetwork
    self.routerHasInterface = routerHasInterface
    self.files = files
  }
}
