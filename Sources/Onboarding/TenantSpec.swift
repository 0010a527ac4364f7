/// What an operator asks for when onboarding a tenant: a domain, its first user and first project, and
/// optionally a domain manager grant and a ready-to-use network.
public struct TenantSpec: Sendable, Equatable {
  public var domain: String
  public var user: String
  public var email: String?
  /// Defaults to the domain's name: the tenant's first project.
  public var project: String
  /// Grant `domainManagerRole` on the domain (the SCS domain manager persona, scs-0302).
  public var domainManager: Bool
  public var domainManagerRole: String
  /// Roles the user gets on the project.
  public var projectRoles: [String]
  public var network: NetworkSpec?

  public static let defaultProjectRoles = ["member", "load-balancer_member", "creator"]
  /// Roles onboarding refuses to grant: a tenant must never become cloud admin.
  public static let forbiddenRoles: Set<String> = ["admin", "service"]

  public init(
    domain: String, user: String, email: String? = nil, project: String? = nil, domainManager: Bool = false,
    domainManagerRole: String = "manager", projectRoles: [String] = TenantSpec.defaultProjectRoles,
    network: NetworkSpec? = nil
  ) {
    self.domain = domain
    self.user = user
    self.email = email
    self.project = project ?? domain
    self.domainManager = domainManager
    self.domainManagerRole = domainManagerRole
    self.projectRoles = projectRoles
    self.network = network
  }

  /// All roles this spec grants, in the order they are granted.
  public var requiredRoles: [String] {
    projectRoles + (domainManager ? [domainManagerRole] : [])
  }

  /// Refuses names Keystone would reject and roles that would make the tenant an admin.
  public func validate() throws {
    for (field, value) in [("domain", domain), ("user", user), ("project", project)] {
      if value.trimmingCharacters(in: .whitespaces).isEmpty {
        throw OnboardingError.invalidSpec("\(field) must not be empty")
      }
      if value.count > 64 {
        throw OnboardingError.invalidSpec("\(field) '\(value)' is longer than Keystone's 64 characters")
      }
    }
    let refused = requiredRoles.filter { Self.forbiddenRoles.contains($0.lowercased()) }
    if !refused.isEmpty {
      throw OnboardingError.forbiddenRole(refused)
    }
    if let email, !email.contains("@") {
      throw OnboardingError.invalidSpec("email '\(email)' is not an e-mail address")
    }
    try network?.validate()
  }
}

/// The tenant's first network: a subnet behind a router with its gateway on the external network.
public struct NetworkSpec: Sendable, Equatable {
  public var cidr: String
  public var dnsNameservers: [String]
  /// Name or id; `nil` means "the only external network there is".
  public var externalNetwork: String?

  public init(
    cidr: String = "10.0.0.0/24", dnsNameservers: [String] = ["9.9.9.9", "149.112.112.112"],
    externalNetwork: String? = nil
  ) {
    self.cidr = cidr
    self.dnsNameservers = dnsNameservers
    self.externalNetwork = externalNetwork
  }

  func validate() throws {
    guard IPv4CIDR(cidr) != nil else {
      throw OnboardingError.invalidSpec("network CIDR '\(cidr)' is not an IPv4 CIDR like 10.0.0.0/24")
    }
    for server in dnsNameservers where IPv4CIDR("\(server)/32") == nil {
      throw OnboardingError.invalidSpec("DNS server '\(server)' is not an IPv4 address")
    }
  }
}

/// An IPv4 network in CIDR notation, checked so Neutron is never sent a value it would reject half-way.
struct IPv4CIDR: Equatable {
  let address: UInt32
  let prefix: Int

  init?(_ text: String) {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let prefix = Int(parts[1]), (8...30).contains(prefix) || (parts[1] == "32" && prefix == 32)
    else { return nil }
    let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
    guard octets.count == 4 else { return nil }
    address = octets.reduce(0) { $0 << 8 | UInt32($1) }
    self.prefix = prefix
  }
}
