import Foundation
import OpenStack
import StewardCore

/// Onboards one tenant idempotently: observes what exists, plans what is missing, applies it in order,
/// and can prove the result by working as the new user. Re-running after a failure resumes, because
/// the next observation finds what the failed run already made.
public struct OnboardingReconciler: Reconciler {
  public let session: Session
  public let spec: TenantSpec
  public let credentials: CredentialOptions
  /// Test seam: called before each step; throwing makes that step fail as a real error would.
  var beforeStep: (@Sendable (OnboardingStep) throws -> Void)?

  public init(session: Session, spec: TenantSpec, credentials: CredentialOptions) {
    self.session = session
    self.spec = spec
    self.credentials = credentials
  }

  /// Returns a copy that fails at the first step matching `step`, for resume tests.
  public func injectingFailure(at step: OnboardingStep) -> OnboardingReconciler {
    var copy = self
    copy.beforeStep = { current in
      if current == step { throw OnboardingError.invalidSpec("injected failure at \(step)") }
    }
    return copy
  }

  // MARK: - observe

  struct Observation: Sendable {
    var state: TenantState
    var password: String
    var passwordNeedsReset: Bool
    var credentials: TenantCredentials
  }

  func observe() async throws -> Observation {
    try spec.validate()
    let identity = try await session.identity()
    var state = TenantState()
    state.domain = try await identity.domains.list(name: spec.domain).first
    if let domain = state.domain {
      state.project = try await identity.projects.list(name: spec.project, domainID: domain.id).first
      state.user = try await identity.users.named(spec.user, domainID: domain.id)
    }
    for role in Set(spec.requiredRoles) {
      if let found = try await identity.roles.list(name: role).first { state.roleIDs[role] = found.id }
    }
    if let user = state.user {
      let names = { (assignments: [RoleAssignment]) in Set(assignments.compactMap(\.role.name)) }
      if let project = state.project {
        state.projectGrants = names(try await identity.roles.assignments(user: user.id, project: project.id))
      }
      if let domain = state.domain {
        state.domainGrants = names(try await identity.roles.assignments(user: user.id, domain: domain.id))
      }
    }
    if let networkSpec = spec.network {
      try await observeNetwork(networkSpec, into: &state)
    }

    let password = try resolvePassword()
    var passwordNeedsReset = false
    if state.user != nil, let domain = state.domain {
      passwordNeedsReset = try await !passwordWorks(password, domainID: domain.id)
    }
    let config = session.config
    let tenant = TenantCredentials(
      cloudName: credentials.cloudName ?? spec.project, authURL: credentials.authURL ?? config.auth.authURL,
      regionName: config.regionName, interface: config.interface, domain: spec.domain, user: spec.user,
      project: spec.project, password: password)
    for path in [credentials.cloudsPath, credentials.securePath] {
      state.files[path] = .some(try? String(contentsOfFile: path, encoding: .utf8))
    }
    return Observation(state: state, password: password, passwordNeedsReset: passwordNeedsReset, credentials: tenant)
  }

  private func observeNetwork(_ networkSpec: NetworkSpec, into state: inout TenantState) async throws {
    let network = try await session.network()
    let externals = try await network.externalNetworks()
    if let wanted = networkSpec.externalNetwork {
      state.externalNetwork = externals.first { $0.id == wanted || $0.name == wanted }
    } else if externals.count == 1 {
      state.externalNetwork = externals[0]
    } else if externals.count > 1 {
      throw OnboardingError.externalNetwork(
        "several external networks (\(externals.map(\.name).sorted().joined(separator: ", "))): choose one with --external-network"
      )
    }
    guard let project = state.project else { return }
    func query(_ pairs: [(String, String?)]) -> [URLQueryItem] { .filters(pairs) }
    state.network = try await network.networks.list(
      query([("name", OnboardingPlanner.networkName(spec)), ("project_id", project.id)])
    ).collect().first
    if let net = state.network {
      state.subnet = try await network.subnets.list(
        query([("name", OnboardingPlanner.subnetName(spec)), ("network_id", net.id)])
      ).collect().first
    }
    state.router = try await network.routers.list(
      query([("name", OnboardingPlanner.routerName(spec)), ("project_id", project.id)])
    ).collect().first
    if let router = state.router, let subnet = state.subnet {
      let ports = try await network.ports.list(query([("device_id", router.id)])).collect()
      state.routerHasInterface = ports.contains { port in
        port.fixedIPs?.contains { $0.subnetID == subnet.id } == true
      }
    }
  }

  private func resolvePassword() throws -> String {
    let cloudName = credentials.cloudName ?? spec.project
    let stored = TenantCredentials.storedPassword(inSecureFile: credentials.securePath, cloud: cloudName)
    switch credentials.passwordSource {
    case .file(let path):
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw OnboardingError.credentials("password file \(path) cannot be read")
      }
      let password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
      guard !password.isEmpty else { throw OnboardingError.credentials("password file \(path) is empty") }
      return password
    case .generate:
      return stored ?? TenantCredentials.generatePassword()
    case .existing:
      guard let stored else {
        throw OnboardingError.credentials(
          "no password for cloud '\(cloudName)' in \(credentials.securePath): use --password-file or --generate-password"
        )
      }
      return stored
    }
  }

  /// True when Keystone accepts the password for the (existing) user: an unscoped token is enough.
  private func passwordWorks(_ password: String, domainID: String) async throws -> Bool {
    var auth = AuthSettings(authURL: session.config.auth.authURL)
    auth.username = spec.user
    auth.password = password
    auth.userDomainID = domainID
    let probe = CloudConfig(
      name: "onboarding-check", authType: .password, auth: auth, verifyTLS: session.config.verifyTLS,
      caCertificateFile: session.config.caCertificateFile)
    do {
      _ = try await Session.with(probe, retryPolicy: RetryPolicy(maxAttempts: 2)) { try await $0.currentToken().value }
      return true
    } catch let error as OpenStackError where error.isUnauthorized {
      return false
    }
  }

  // MARK: - plan

  func onboardingPlan(_ observation: Observation) throws -> OnboardingPlan {
    try OnboardingPlanner(
      spec: spec,
      files: [
        (credentials.cloudsPath, observation.credentials.cloudsYAML),
        (credentials.securePath, observation.credentials.secureYAML),
      ], passwordNeedsReset: observation.passwordNeedsReset
    ).plan(observation.state)
  }

  public func plan() async throws -> Plan {
    try onboardingPlan(try await observe()).plan
  }

  // MARK: - apply

  public func apply(_ plan: Plan) async throws -> ApplyReport {
    let observation = try await observe()
    var context = ApplyContext(state: observation.state, password: observation.password)
    return await ApplyReport.inOrder(try onboardingPlan(observation).steps, approved: plan) { step in
      try beforeStep?(step)
      try await perform(step, context: &context)
    }
  }

  struct ApplyContext {
    var state: TenantState
    var password: String
  }

  private func perform(_ step: OnboardingStep, context: inout ApplyContext) async throws {
    let identity = try await session.identity()
    switch step {
    case .createDomain:
      context.state.domain = try await identity.domains.create(
        DomainCreate(name: spec.domain, description: "onboarded by steward"))
    case .createProject:
      context.state.project = try await identity.projects.create(
        ProjectCreate(name: spec.project, domainID: try require(context.state.domain, "domain").id))
    case .createUser:
      context.state.user = try await identity.users.create(
        UserCreate(
          name: spec.user, domainID: try require(context.state.domain, "domain").id, password: context.password,
          email: spec.email, defaultProjectID: context.state.project?.id))
    case .setPassword:
      _ = try await identity.users.setPassword(try require(context.state.user, "user").id, context.password)
      // A password change revokes the user's tokens by a revocation event with one-second precision:
      // a token issued within the same second counts as revoked, so the proof that follows would fail.
      try await Task.sleep(for: .milliseconds(1100))
    case .grantProjectRole(let role):
      try await identity.roles.grant(
        role: try require(context.state.roleIDs[role], "role \(role)"),
        user: try require(context.state.user, "user").id,
        on: .project(try require(context.state.project, "project").id))
    case .grantDomainRole(let role):
      try await identity.roles.grant(
        role: try require(context.state.roleIDs[role], "role \(role)"),
        user: try require(context.state.user, "user").id,
        on: .domain(try require(context.state.domain, "domain").id))
    case .createNetwork:
      context.state.network = try await session.network().networks.create(
        NetworkCreate(
          name: OnboardingPlanner.networkName(spec), projectID: try require(context.state.project, "project").id))
    case .createSubnet:
      let networkSpec = try require(spec.network, "network spec")
      context.state.subnet = try await session.network().subnets.create(
        SubnetCreate(
          name: OnboardingPlanner.subnetName(spec), networkID: try require(context.state.network, "network").id,
          cidr: networkSpec.cidr, projectID: context.state.project?.id, dnsNameservers: networkSpec.dnsNameservers))
    case .createRouter:
      context.state.router = try await session.network().routers.create(
        RouterCreate(
          name: OnboardingPlanner.routerName(spec), projectID: try require(context.state.project, "project").id))
    case .setRouterGateway:
      context.state.router = try await session.network().setGateway(
        router: try require(context.state.router, "router").id,
        externalNetwork: try require(context.state.externalNetwork, "external network").id)
    case .addRouterInterface:
      try await session.network().addInterface(
        router: try require(context.state.router, "router").id, subnet: try require(context.state.subnet, "subnet").id)
    case .writeFile(let path, let content):
      try TenantCredentials.writePrivateFile(path, content: content)
    }
  }

  private func require<T>(_ value: T?, _ what: String) throws -> T {
    guard let value else { throw OnboardingError.invalidSpec("\(what) is not there (an earlier step did not run)") }
    return value
  }
}
