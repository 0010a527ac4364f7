import OpenStack
import StewardCore

/// Turns a spec and what the cloud has into the steps that are still missing. Pure: the whole of
/// onboarding's decision logic is tested here without a cloud.
public struct OnboardingPlanner: Sendable {
  public let spec: TenantSpec
  /// The credential files to write: path → content.
  public let files: [(path: String, content: String)]
  /// `true` when the user exists but the password onboarding will write does not work for it.
  public let passwordNeedsReset: Bool

  public init(spec: TenantSpec, files: [(path: String, content: String)] = [], passwordNeedsReset: Bool = false) {
    self.spec = spec
    self.files = files
    self.passwordNeedsReset = passwordNeedsReset
  }

  public static func networkName(_ spec: TenantSpec) -> String { "\(spec.project)-network" }
  public static func subnetName(_ spec: TenantSpec) -> String { "\(spec.project)-subnet" }
  public static func routerName(_ spec: TenantSpec) -> String { "\(spec.project)-router" }

  public func plan(_ state: TenantState) throws -> OnboardingPlan {
    try spec.validate()
    let missing = spec.requiredRoles.filter { state.roleIDs[$0] == nil }
    if !missing.isEmpty { throw OnboardingError.missingRoles(missing) }
    if spec.network != nil && state.externalNetwork == nil {
      throw OnboardingError.externalNetwork(
        spec.network?.externalNetwork.map { "external network '\($0)' not found" }
          ?? "no external network found for the router gateway; name one with --external-network")
    }

    var steps: [(OnboardingStep, Change)] = []
    var kept: [Change] = []
    func step(_ present: Bool, _ step: OnboardingStep, _ kind: String, _ target: String, details: [String] = []) {
      if present {
        kept.append(Change(.keep, kind: kind, target: target, reason: "exists"))
      } else {
        steps.append((step, Change(.create, kind: kind, target: target, reason: "missing", details: details)))
      }
    }

    step(state.domain != nil, .createDomain, "domain", spec.domain)
    step(state.project != nil, .createProject, "project", "\(spec.domain)/\(spec.project)")
    step(
      state.user != nil, .createUser, "user", "\(spec.domain)/\(spec.user)",
      details: spec.email.map { ["email: \($0)"] } ?? [])
    if state.user != nil && passwordNeedsReset {
      steps.append(
        (
          .setPassword,
          Change(
            .update, kind: "user_password", target: "\(spec.domain)/\(spec.user)",
            reason: "the password in the credentials to write does not work for the existing user")
        ))
    }
    for role in spec.projectRoles {
      step(
        state.projectGrants.contains(role), .grantProjectRole(role), "role_assignment",
        "\(spec.user) \(role) on project \(spec.project)")
    }
    if spec.domainManager {
      step(
        state.domainGrants.contains(spec.domainManagerRole), .grantDomainRole(spec.domainManagerRole),
        "role_assignment", "\(spec.user) \(spec.domainManagerRole) on domain \(spec.domain)")
    }
    if let network = spec.network {
      step(state.network != nil, .createNetwork, "network", Self.networkName(spec))
      step(
        state.subnet != nil, .createSubnet, "subnet", Self.subnetName(spec),
        details: ["cidr: \(network.cidr)", "dns: \(network.dnsNameservers.joined(separator: ", "))"])
      step(state.router != nil, .createRouter, "router", Self.routerName(spec))
      let external = state.externalNetwork.map { $0.name.isEmpty ? $0.id : $0.name } ?? "?"
      let gatewaySet =
        state.router?.externalGatewayInfo?.networkID != nil
        && state.router?.externalGatewayInfo?.networkID == state.externalNetwork?.id
      step(gatewaySet, .setRouterGateway, "router_gateway", "\(Self.routerName(spec)) -> \(external)")
      step(
        state.routerHasInterface, .addRouterInterface, "router_interface",
        "\(Self.routerName(spec)) -> \(Self.subnetName(spec))")
    }
    for file in files {
      switch state.files[file.path] {
      case .some(.some(let existing)) where existing == file.content:
        kept.append(Change(.keep, kind: "file", target: file.path, reason: "up to date"))
      case .some(.some):
        steps.append(
          (
            .writeFile(path: file.path, content: file.content),
            Change(.update, kind: "file", target: file.path, reason: "content differs")
          ))
      default:
        steps.append(
          (
            .writeFile(path: file.path, content: file.content),
            Change(.create, kind: "file", target: file.path, reason: "missing")
          ))
      }
    }
    return OnboardingPlan(steps: steps.map { (step: $0.0, change: $0.1) }, kept: kept)
  }
}
