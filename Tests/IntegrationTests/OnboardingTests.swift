import Foundation
import OpenStack
import StewardCore
import Testing

@testable import Onboarding

@Suite("Onboarding against real Keystone, Neutron and Glance", .testCloud)
struct OnboardingTests {
  func directory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("steward-onboard-\(UUID().uuidString)").path
  }

  @Test func onboardValidateRerunAndOffboard() async throws {
    let spec = TenantSpec(
      domain: TestCloud.name("acme"), user: "alice", email: "alice@example.com", domainManager: true,
      network: NetworkSpec(cidr: "10.42.0.0/24"))
    let credentials = CredentialOptions(outputDirectory: directory(), passwordSource: .generate)
    try await TestCloud.with("steward-admin") { session in
      let reconciler = OnboardingReconciler(session: session, spec: spec, credentials: credentials)
      let (plan, report) = try await reconciler.run(dryRun: false)
      #expect(plan.count(.create) == 14)
      #expect(report?.succeeded == true, "\(report?.failures ?? [])")

      let validation = await OnboardingValidator(spec: spec, credentials: credentials).validate()
      #expect(validation.passed, "\(validation.checks.filter { !$0.passed })")
      #expect(validation.checks.count == 7)

      // A second run finds everything and changes nothing (the generated password is kept).
      let again = try await reconciler.plan()
      #expect(again.isEmpty, "\(again.actionable)")

      // Role grants really exist, and the user is no admin anywhere.
      let identity = try await session.identity()
      let domain = try #require(try await identity.domains.find(spec.domain))
      let user = try #require(try await identity.users.find("alice", domainID: domain.id))
      let roles = try await identity.roles.assignments(user: user.id).compactMap(\.role.name)
      #expect(Set(roles) == ["member", "load-balancer_member", "creator", "manager"])

      let offboard = OffboardingReconciler(session: session, spec: spec)
      let (removal, removed) = try await offboard.run(dryRun: false)
      #expect(removal.count(.delete) >= 7)
      #expect(removed?.succeeded == true, "\(removed?.failures ?? [])")
      // The domain held only alice and her project, so the plan deletes it (a kept domain says why).
      let domainChange = removal.changes.first { $0.kind == "domain" }
      #expect(
        domainChange?.action == .delete, "\(domainChange.map { "\($0.action): \($0.reason)" } ?? "no domain change")")
      if let left = try await identity.domains.find(spec.domain) {
        let projects = try await identity.projects.list(domainID: left.id).map(\.name)
        let users = try await identity.users.list(domainID: left.id).map(\.name)
        Issue.record(
          "domain \(spec.domain) still there (enabled: \(left.enabled)); projects \(projects), users \(users)")
      }
    }
  }

  @Test func failurePartWayIsReportedAndResumed() async throws {
    let spec = TenantSpec(domain: TestCloud.name("resume"), user: "bob", network: NetworkSpec(cidr: "10.43.0.0/24"))
    let passwordFile = directory() + "-pw"
    try "correct horse battery staple\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
    let credentials = CredentialOptions(outputDirectory: directory(), passwordSource: .file(passwordFile))
    try await TestCloud.with("steward-admin") { session in
      let reconciler = OnboardingReconciler(session: session, spec: spec, credentials: credentials)
      let (_, broken) = try await reconciler.injectingFailure(at: .createRouter).run(dryRun: false)
      let report = try #require(broken)
      #expect(!report.succeeded)
      let done = report.outcomes.filter { $0.error == nil }.map(\.change.kind)
      #expect(
        done == [
          "domain", "project", "user", "role_assignment", "role_assignment", "role_assignment", "network", "subnet",
        ])
      #expect(report.outcomes.first { $0.error != nil }?.change.kind == "router")
      #expect(report.outcomes.filter { $0.error?.hasPrefix("not attempted") == true }.count == 4)

      // The next run plans exactly what is missing, and completes.
      let resumed = try await reconciler.plan()
      #expect(resumed.actionable.map(\.kind) == ["router", "router_gateway", "router_interface", "file", "file"])
      let (_, finished) = try await reconciler.run(dryRun: false)
      #expect(finished?.succeeded == true)
      let validation = await OnboardingValidator(spec: spec, credentials: credentials).validate()
      #expect(validation.passed, "\(validation.checks.filter { !$0.passed })")

      // Changing the password file makes the plan reset the existing user's password.
      try "another password\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
      let changed = try await reconciler.plan()
      #expect(changed.actionable.map(\.kind) == ["user_password", "file"])
      _ = try await reconciler.run(dryRun: false)
      let afterReset = await OnboardingValidator(spec: spec, credentials: credentials).validate()
      #expect(afterReset.passed, "\(afterReset.checks.filter { !$0.passed })")

      _ = try await OffboardingReconciler(session: session, spec: spec).run(dryRun: false)
    }
  }

  @Test func dryRunChangesNothingAndAdminIsRefused() async throws {
    let spec = TenantSpec(domain: TestCloud.name("dry"), user: "carol")
    let credentials = CredentialOptions(outputDirectory: directory(), passwordSource: .generate)
    try await TestCloud.with("steward-admin") { session in
      let (plan, report) = try await OnboardingReconciler(session: session, spec: spec, credentials: credentials)
        .run(dryRun: true)
      #expect(report == nil)
      #expect(plan.count(.create) == 8)
      #expect(try await session.identity().domains.find(spec.domain) == nil)
      #expect(!FileManager.default.fileExists(atPath: credentials.cloudsPath))

      var admin = spec
      admin.domainManager = true
      admin.domainManagerRole = "admin"
      await #expect(throws: OnboardingError.forbiddenRole(["admin"])) {
        _ = try await OnboardingReconciler(session: session, spec: admin, credentials: credentials).plan()
      }
    }
  }

  @Test func offboardingRefusesWhileServersRun() async throws {
    let spec = TenantSpec(domain: TestCloud.name("busy"), user: "dave")
    let credentials = CredentialOptions(outputDirectory: directory(), passwordSource: .generate)
    let flavorID = UUID().uuidString.lowercased()
    try await TestCloud.with("steward-admin") { session in
      _ = try await OnboardingReconciler(session: session, spec: spec, credentials: credentials).run(dryRun: false)
      _ = try await session.compute().flavors.create(
        FlavorCreate(name: TestCloud.name("tiny"), id: flavorID, vcpus: 1, ram: 64, disk: 1))
    }
    let tenant = try CloudConfigLoader(environment: [
      "OS_CLIENT_CONFIG_FILE": credentials.cloudsPath, "OS_CLIENT_SECURE_FILE": credentials.securePath,
    ]).load(cloud: spec.project)
    let tenantSession = Session(config: tenant)
    let servers = try await tenantSession.compute().servers
    let imageID = try await TestCloud.with("steward-admin") { session in
      let images = try await session.image().images
      let image = try await images.create(ImageCreate(name: TestCloud.name("busyimg"), visibility: "public"))
      try await images.upload(image.id, bytes: Data(repeating: 1, count: 1024))
      return image.id
    }
    let serverID = try await servers.create(ServerCreate(name: "vm", flavorRef: flavorID, imageRef: imageID))
    // Once scheduled: a server still waiting as a Nova build request can be missing from the admin's
    // project-filtered listing under load (seen once in the full suite), see the session 3 notes.
    try await servers.waitFor(serverID, status: ["ACTIVE", "ERROR"], waiter: Waiter(timeout: .seconds(120)))
    try await TestCloud.with("steward-admin") { session in
      await #expect(throws: OnboardingError.self) {
        _ = try await OffboardingReconciler(session: session, spec: spec).plan()
      }
    }
    try await servers.delete(serverID)
    try await servers.waitForDeletion(serverID, waiter: Waiter(timeout: .seconds(120)))
    await tenantSession.shutdown()
    try await TestCloud.with("steward-admin") { session in
      let (_, report) = try await OffboardingReconciler(session: session, spec: spec).run(dryRun: false)
      #expect(report?.succeeded == true)
      try await session.compute().flavors.delete(flavorID)
      try await session.image().images.delete(imageID)
    }
  }
}
