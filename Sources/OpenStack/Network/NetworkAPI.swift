import Foundation

/// Neutron v2.0. Every collection pages with `<plural>_links`.
public struct NetworkAPI: Sendable {
  public let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  func collection<Item>(_ plural: String, _ singular: String, path: String? = nil) -> ResourceCollection<Item> {
    ResourceCollection(
      client: client, path: [path ?? plural], singular: singular, plural: plural, style: .links("\(plural)_links"))
  }

  public var networks: ResourceCollection<Network> { collection("networks", "network") }
  public var subnets: ResourceCollection<Subnet> { collection("subnets", "subnet") }
  public var routers: ResourceCollection<Router> { collection("routers", "router") }
  public var ports: ResourceCollection<Port> { collection("ports", "port") }
  public var floatingIPs: ResourceCollection<FloatingIP> { collection("floatingips", "floatingip") }
  public var securityGroups: ResourceCollection<SecurityGroup> {
    collection("security_groups", "security_group", path: "security-groups")
  }
  public var securityGroupRules: ResourceCollection<SecurityGroupRule> {
    collection("security_group_rules", "security_group_rule", path: "security-group-rules")
  }
  /// Templates Neutron copies into every new security group (2023.2+); older Neutrons answer 404.
  public var defaultSecurityGroupRules: ResourceCollection<DefaultSecurityGroupRule> {
    collection("default_security_group_rules", "default_security_group_rule", path: "default-security-group-rules")
  }
  public var rbacPolicies: ResourceCollection<RBACPolicy> {
    collection("rbac_policies", "rbac_policy", path: "rbac-policies")
  }

  /// External networks (`router:external=True`), for router gateways.
  public func externalNetworks() async throws -> [Network] {
    try await networks.list([URLQueryItem(name: "router:external", value: "true")]).collect()
  }

  public func setGateway(router: String, externalNetwork: String) async throws -> Router {
    try await routers.update(router, ["external_gateway_info": ["network_id": externalNetwork]], method: .PUT)
  }

  public func addInterface(router: String, subnet: String) async throws {
    try await client.send(.PUT, ["routers", router, "add_router_interface"], json: ["subnet_id": subnet])
  }

  public func removeInterface(router: String, subnet: String) async throws {
    try await client.send(.PUT, ["routers", router, "remove_router_interface"], json: ["subnet_id": subnet])
  }

  /// The project's network quotas with usage (`quotas/{id}/details`).
  public func quotaUsage(project: String) async throws -> [String: QuotaUsage] {
    let set: [String: JSONValue] = try await client.get(["quotas", project, "details"], key: "quota")
    return QuotaUsage.decodeSet(set)
  }

  /// Sets network quotas (admin): `network`, `port`, `router`, `floatingip`, `security_group`…
  public func updateQuotas(project: String, limits: [String: Int]) async throws {
    try await client.send(.PUT, ["quotas", project], json: ["quota": limits])
  }
}
