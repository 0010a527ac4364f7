import Foundation
import OpenStack
import StewardCore
import Testing

@testable import Onboarding

@Suite struct OnboardingPlannerTests {
  let roles = ["member": "r1", "load-balancer_member": "r2", "creator": "r3", "manager": "r4"]

  func decode<T: Decodable>(_ json: String) -> T {
    try! JSONDecoder().decode(T.self, from: Data(json.utf8))
  }

  var external: Network { decode(#"{"id": "ext", "name": "public", "router:external": true}"#) }

  @Test func emptyCloudPlansEverythingInOrder() throws {
    let spec = TenantSpec(domain: "acme", user: "alice", domainManager: true, network: NetworkSpec())
    let plan = try OnboardingPlanner(spec: spec, files: [("/o/clouds.yaml", "x")])
      .plan(TenantState(roleIDs: roles, externalNetwork: external))
    #expect(
      plan.steps.map(\.step) == [
        .createDomain, .createProject, .createUser, .grantProjectRole("member"),
        .grantProjectRole("load-balancer_member"), .grantProjectRole("creator"), .grantDomainRole("manager"),
        .createNetwork, .createSubnet, .createRouter, .setRouterGateway, .addRouterInterface,
        .writeFile(path: "/o/clouds.yaml", content: "x"),
      ])
    #expect(plan.kept.isEmpty)
    #expect(plan.steps[0].change.target == "acme")
    #expect(plan.steps[10].change.target == "acme-router -> public")
  }

  @Test func everythingPresentPlansNothing() throws {
    let spec = TenantSpec(domain: "acme", user: "alice", network: NetworkSpec())
    let router: Router = decode(#"{"id": "r", "name": "acme-router", "external_gateway_info": {"network_id": "ext"}}"#)
    let state = TenantState(
      domain: decode(#"{"id": "d", "name": "acme", "enabled": true}"#),
      project: decode(#"{"id": "p", "name": "acme", "domain_id": "d"}"#),
      user: decode(#"{"id": "u", "name": "alice", "domain_id": "d"}"#), roleIDs: roles,
      projectGrants: ["member", "load-balancer_member", "creator", "reader"],
      network: decode(#"{"id": "n", "name": "acme-network"}"#),
      subnet: decode(#"{"id": "s", "name": "acme-subnet", "network_id": "n", "cidr": "10.0.0.0/24", "ip_version": 4}"#),
      router: router, externalNetwork: external, routerHasInterface: true, files: ["/o/clouds.yaml": "same"])
    let plan = try OnboardingPlanner(spec: spec, files: [("/o/clouds.yaml", "same")]).plan(state)
    #expect(plan.steps.isEmpty)
    #expect(plan.plan.isEmpty)
    #expect(plan.kept.count == 12)
  }

  @Test func partialStateResumesWithTheRest() throws {
    let spec = TenantSpec(domain: "acme", user: "alice")
    let state = TenantState(
      domain: decode(#"{"id": "d", "name": "acme", "enabled": true}"#),
      project: decode(#"{"id": "p", "name": "acme", "domain_id": "d"}"#), roleIDs: roles,
      files: ["/o/secure.yaml": "old"])
    let plan = try OnboardingPlanner(spec: spec, files: [("/o/secure.yaml", "new")], passwordNeedsReset: true)
      .plan(state)
    #expect(
      plan.steps.map(\.step) == [
        .createUser, .grantProjectRole("member"), .grantProjectRole("load-balancer_member"),
        .grantProjectRole("creator"), .writeFile(path: "/o/secure.yaml", content: "new"),
      ])
    #expect(plan.steps.last?.change.action == .update)
  }

  @Test func existingUserWithWrongPasswordGetsItReset() throws {
    let spec = TenantSpec(domain: "acme", user: "alice")
    let state = TenantState(
      domain: decode(#"{"id": "d", "name": "acme", "enabled": true}"#),
      user: decode(#"{"id": "u", "name": "alice", "domain_id": "d"}"#), roleIDs: roles)
    let plan = try OnboardingPlanner(spec: spec, passwordNeedsReset: true).plan(state)
    #expect(plan.steps.map(\.step).contains(.setPassword))
    #expect(plan.steps.first { $0.step == .setPassword }?.change.action == .update)
  }

  @Test func adminIsRefusedBeforeAnythingIsPlanned() {
    let spec = TenantSpec(domain: "acme", user: "alice", domainManager: true, domainManagerRole: "admin")
    #expect(throws: OnboardingError.forbiddenRole(["admin"])) {
      try OnboardingPlanner(spec: spec).plan(TenantState(roleIDs: roles))
    }
    let projectAdmin = TenantSpec(domain: "acme", user: "alice", projectRoles: ["member", "Admin"])
    #expect(throws: OnboardingError.forbiddenRole(["Admin"])) { try projectAdmin.validate() }
  }

  @Test func missingRolesAreNamed() {
    let spec = TenantSpec(domain: "acme", user: "alice")
    #expect(throws: OnboardingError.missingRoles(["load-balancer_member", "creator"])) {
      try OnboardingPlanner(spec: spec).plan(TenantState(roleIDs: ["member": "r1"]))
    }
  }

  @Test func networkWithoutExternalNetworkIsRefused() {
    let spec = TenantSpec(domain: "acme", user: "alice", network: NetworkSpec(externalNetwork: "ext-x"))
    #expect(throws: OnboardingError.externalNetwork("external network 'ext-x' not found")) {
      try OnboardingPlanner(spec: spec).plan(TenantState(roleIDs: roles))
    }
  }

  @Test(arguments: ["10.0.0.0", "10.0.0.0/33", "300.0.0.0/24", "10.0.0/24", "10.0.0.0/4"])
  func badCIDRsAreRefused(cidr: String) {
    #expect(throws: OnboardingError.self) { try NetworkSpec(cidr: cidr).validate() }
  }

  @Test func emptyNamesAndBadEmailAreRefused() {
    #expect(throws: OnboardingError.self) { try TenantSpec(domain: " ", user: "a").validate() }
    #expect(throws: OnboardingError.self) { try TenantSpec(domain: "d", user: "a", email: "nope").validate() }
  }
}

@Suite struct TenantCredentialsTests {
  let credentials = TenantCredentials(
    cloudName: "acme", authURL: "https://keystone.example.com/v3", regionName: "RegionOne", interface: "public",
    domain: "acme", user: "alice", project: "acme", password: "p:w#1")

  @Test func passwordOnlyInSecureYaml() throws {
    #expect(!credentials.cloudsYAML.contains("p:w#1"))
    #expect(credentials.secureYAML.contains("p:w#1"))
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-cred-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try TenantCredentials.writePrivateFile(directory + "/clouds.yaml", content: credentials.cloudsYAML)
    try TenantCredentials.writePrivateFile(directory + "/secure.yaml", content: credentials.secureYAML)
    let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/secure.yaml")
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    #expect(TenantCredentials.storedPassword(inSecureFile: directory + "/secure.yaml", cloud: "acme") == "p:w#1")
    let config = try CloudConfigLoader(environment: [
      "OS_CLIENT_CONFIG_FILE": directory + "/clouds.yaml", "OS_CLIENT_SECURE_FILE": directory + "/secure.yaml",
    ]).load(cloud: "acme")
    #expect(config.auth.password == "p:w#1")
    #expect(config.auth.projectDomainName == "acme")
  }

  @Test func generatedPasswordsAreLongAndDistinct() {
    let passwords = Set((0..<50).map { _ in TenantCredentials.generatePassword() })
    #expect(passwords.count == 50)
    #expect(passwords.allSatisfy { $0.count == 24 && $0.allSatisfy { $0.isLetter || $0.isNumber } })
  }
}

@Suite struct TenantBatchTests {
  func write(_ name: String, _ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("steward-\(UUID())-\(name)").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func yamlBatch() throws {
    let path = try write(
      "t.yaml",
      """
      tenants:
        - domain: acme
          user: alice
          email: alice@acme.example
          domain_manager: true
          network: true
        - domain: beta
          user: bob
          project: beta-prod
          network: {cidr: 10.1.0.0/24, external_network: public}
      """)
    let specs = try TenantBatch.load(path)
    #expect(specs.count == 2)
    #expect(specs[0].domainManager && specs[0].network == NetworkSpec())
    #expect(specs[1].project == "beta-prod")
    #expect(specs[1].network?.cidr == "10.1.0.0/24" && specs[1].network?.externalNetwork == "public")
  }

  @Test func csvBatch() throws {
    let path = try write(
      "t.csv",
      "domain,user,email,project,domain_manager,network,cidr\nacme,alice,a@x.io,,true,yes,10.2.0.0/24\nbeta,bob,,,no,no,\n"
    )
    let specs = try TenantBatch.load(path)
    #expect(specs.map(\.project) == ["acme", "beta"])
    #expect(specs[0].network?.cidr == "10.2.0.0/24")
    #expect(specs[1].network == nil && !specs[1].domainManager)
  }

  @Test func errorsNameFileAndLine() throws {
    let yaml = try write("bad.yaml", "- domain: acme\n  user: alice\n- domain: beta\n  usr: bob\n")
    #expect(throws: OnboardingError.self) { try TenantBatch.load(yaml) }
    do {
      _ = try TenantBatch.load(yaml)
    } catch {
      #expect("\(error)".contains("bad.yaml:4: unknown key 'usr'"))
    }
    let csv = try write("bad.csv", "domain,user\nacme\n")
    do {
      _ = try TenantBatch.load(csv)
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".contains("bad.csv:2: 1 fields, the header has 2"))
    }
  }

  @Test func aDomainThatStillHoldsOthersIsKeptWithTheirNames() {
    #expect(
      OffboardingReconciler.keepReason(projects: ["web"], users: [])
        == "kept: it still holds 1 other project (web)")
    #expect(
      OffboardingReconciler.keepReason(projects: ["b", "a"], users: ["u1", "u2", "u3", "u4", "u5", "u6"])
        == "kept: it still holds 2 other projects (a, b) and 6 other users (u1, u2, u3, u4, u5, ...)")
  }
}
