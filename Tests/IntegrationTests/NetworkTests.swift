import Foundation
import OpenStack
import Testing

@Suite("Network client against the real Neutron", .testCloud)
struct NetworkTests {
  @Test func networkSubnetRouterWithGatewayAndInterface() async throws {
    try await TestCloud.with("steward-demo") { session in
      let network = try await session.network()
      let external = try await network.externalNetworks()
      let publicNet = try #require(external.first { $0.name == "public" }, "the test cloud's external network")

      let net = try await network.networks.create(NetworkCreate(name: TestCloud.name("net")))
      let subnet = try await network.subnets.create(
        SubnetCreate(
          name: TestCloud.name("subnet"), networkID: net.id, cidr: "10.99.0.0/24", dnsNameservers: ["9.9.9.9"]))
      #expect(subnet.gatewayIP == "10.99.0.1")
      let router = try await network.routers.create(RouterCreate(name: TestCloud.name("router")))
      let gatewayed = try await network.setGateway(router: router.id, externalNetwork: publicNet.id)
      #expect(gatewayed.externalGatewayInfo?.networkID == publicNet.id)
      try await network.addInterface(router: router.id, subnet: subnet.id)
      let ports = try await network.ports.list([URLQueryItem(name: "device_id", value: router.id)]).collect()
      #expect(ports.contains { $0.networkID == net.id })

      try await network.removeInterface(router: router.id, subnet: subnet.id)
      try await network.routers.delete(router.id)
      try await network.subnets.delete(subnet.id)
      try await network.networks.delete(net.id)
      #expect(try await network.networks.find(net.id) == nil)
    }
  }

  @Test func defaultSecurityGroupAndRules() async throws {
    try await TestCloud.with("steward-demo") { session in
      let network = try await session.network()
      let project = try await session.currentToken().project!.id
      let groups = try await network.securityGroups.list([URLQueryItem(name: "project_id", value: project)]).collect()
      let defaultGroup = try #require(groups.first { $0.name == "default" })
      #expect(defaultGroup.securityGroupRules?.contains { $0.direction == "egress" } == true)

      let group = try await network.securityGroups.create(SecurityGroupCreate(name: TestCloud.name("sg")))
      let rule = try await network.securityGroupRules.create(
        SecurityGroupRuleCreate(
          securityGroupID: group.id, direction: "ingress", protocol: "tcp", portRangeMin: 22, portRangeMax: 22,
          remoteIPPrefix: "0.0.0.0/0"))
      #expect(rule.portRangeMin == 22)
      try await network.securityGroupRules.delete(rule.id)
      try await network.securityGroups.delete(group.id)
    }
  }

  @Test func rbacSharesANetworkWithAnotherProject() async throws {
    let demo2 = try await TestCloud.with("steward-demo2") { try await $0.currentToken().project!.id }
    let netID = try await TestCloud.with("steward-demo") { session in
      let network = try await session.network()
      let net = try await network.networks.create(NetworkCreate(name: TestCloud.name("rbac")))
      let policy = try await network.rbacPolicies.create(RBACPolicyCreate(objectID: net.id, targetProject: demo2))
      #expect(policy.action == "access_as_shared")
      return net.id
    }
    try await TestCloud.with("steward-demo2") { session in
      let found = try await session.network().networks.find(netID)
      #expect(found != nil)
    }
    try await TestCloud.with("steward-demo") { session in
      let network = try await session.network()
      for policy in try await network.rbacPolicies.list([URLQueryItem(name: "object_id", value: netID)]).collect() {
        try await network.rbacPolicies.delete(policy.id)
      }
      try await network.networks.delete(netID)
    }
  }
}
