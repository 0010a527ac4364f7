import Foundation
import OpenStack

/// scs-0302 domain manager, decided automatically (the spec lists it as a manual check): through the
/// admin cloud, two test domains with a user holding the `manager` role on each; then, signed in as the
/// manager of the first domain: users, projects and role grants can be managed inside it, nothing of the
/// second domain is visible or changeable, and the `admin` role cannot be handed out. The domains (and
/// with them everything in them) are removed afterwards.
enum DomainManagerTestcase {
  static let id = "domain-manager-check"

  static var testcase: Testcase { testcase() }

  /// - Parameter managerRoleName: the role that makes a domain manager (`manager` in scs-0302; tests
  ///   give another to prove the check fails when the role grants too little).
  static func testcase(managerRoleName: String = "manager") -> Testcase {
    Testcase(id) { context, log in
      guard let admin = context.adminSession else {
        throw Undecidable("the domain manager set-up needs an admin cloud (--admin-cloud)")
      }
      let identity = try await admin.identity()
      guard let managerRole = try await identity.roles.find(managerRoleName) else {
        log.error("the cloud has no '\(managerRoleName)' role (scs-0302 requires the 'manager' role)")
        return false
      }
      guard let memberRole = try await identity.roles.find("member") else {
        throw Undecidable("the cloud has no 'member' role")
      }
      let setup = SetUp()
      do {
        let passed = try await exercise(
          admin, identity, managerRole.id, memberRole.id, context, log, setup, managerRoleName: managerRoleName)
        await tearDown(identity, setup, log)
        return passed
      } catch {
        await tearDown(identity, setup, log)
        throw error
      }
    }
  }

  final class SetUp: @unchecked Sendable {
    var domains: [String] = []
  }

  static func exercise(
    _ admin: Session, _ identity: IdentityAPI, _ managerRole: String, _ memberRole: String, _ context: CheckContext,
    _ log: TestcaseLog, _ setup: SetUp, managerRoleName: String
  ) async throws -> Bool {
    let password = UUID().uuidString
    var domains: [(domain: Domain, manager: User)] = []
    for letter in ["a", "b"] {
      let domain = try await identity.domains.create(DomainCreate(name: context.name("0302-domain-\(letter)")))
      setup.domains.append(domain.id)
      let manager = try await identity.users.create(
        UserCreate(name: context.name("0302-manager-\(letter)"), domainID: domain.id, password: password))
      try await identity.roles.grant(role: managerRole, user: manager.id, on: .domain(domain.id))
      domains.append((domain, manager))
    }
    let (domainA, managerA) = domains[0]
    let (domainB, _) = domains[1]
    // Something in domain B for A to (not) see.
    let userB = try await identity.users.create(UserCreate(name: context.name("0302-user-b"), domainID: domainB.id))

    var config = admin.config
    config.name = "\(admin.config.name) as \(managerA.name)"
    config.auth = AuthSettings(authURL: admin.config.auth.authURL)
    config.auth.username = managerA.name
    config.auth.password = password
    config.auth.userDomainID = domainA.id
    config.auth.domainID = domainA.id
    config.authType = .password

    var problems: [String] = []
    func allowed(_ what: String, _ body: () async throws -> Void) async throws {
      do {
        try await body()
        log.info("the domain manager can \(what): PASS")
      } catch let error as OpenStackError where error.isForbidden || error.isNotFound {
        problems.append(
          "Policy error: the domain manager (role '\(managerRoleName)') of '\(domainA.name)' cannot \(what): "
            + error.message)
      }
    }
    func denied(_ what: String, _ body: () async throws -> Void) async throws {
      do {
        try await body()
        problems.append("Policy error: the domain manager (role '\(managerRoleName)') of '\(domainA.name)' can \(what)")
      } catch let error as OpenStackError where error.isForbidden || error.isNotFound {
        log.info("the domain manager cannot \(what): PASS")
      }
    }
    try await Session.with(config) { session in
      let asManager = try await session.identity()
      var userA: User?
      try await allowed("create a user in its domain") {
        userA = try await asManager.users.create(UserCreate(name: context.name("0302-user-a"), domainID: domainA.id))
      }
      if let userA {
        try await allowed("find a user of its domain") { _ = try await asManager.users.get(userA.id) }
        try await allowed("update a user of its domain") {
          _ = try await asManager.users.update(userA.id, email: "changed@example.org")
        }
        try await allowed("grant the member role in its domain") {
          try await asManager.roles.grant(role: memberRole, user: userA.id, on: .domain(domainA.id))
          if !(try await asManager.roles.isGranted(role: memberRole, user: userA.id, on: .domain(domainA.id))) {
            problems.append("Policy error: the member role granted in '\(domainA.name)' does not show")
          }
          try await asManager.roles.revoke(role: memberRole, user: userA.id, on: .domain(domainA.id))
        }
        if let adminRole = try await identity.roles.find("admin") {
          try await denied("grant the admin role (escalation) to '\(userA.name)'") {
            try await asManager.roles.grant(role: adminRole.id, user: userA.id, on: .domain(domainA.id))
          }
        }
        try await denied("grant a role in foreign domain '\(domainB.name)'") {
          try await asManager.roles.grant(role: memberRole, user: userA.id, on: .domain(domainB.id))
        }
      }
      try await allowed("create and delete a project in its domain") {
        let project = try await asManager.projects.create(
          ProjectCreate(name: context.name("0302-project-a"), domainID: domainA.id))
        try await asManager.projects.delete(project.id)
      }
      try await allowed("list users") {
        let listed = try await asManager.users.list()
        let foreign = listed.filter { $0.domainID != domainA.id }
        if !foreign.isEmpty {
          problems.append(
            "Policy error: the domain manager of '\(domainA.name)' lists users outside its domain: "
              + foreign.prefix(5).map(\.name).joined(separator: ", "))
        }
      }
      try await denied("see user '\(userB.name)' of foreign domain '\(domainB.name)'") {
        _ = try await asManager.users.get(userB.id)
      }
      try await denied("update user '\(userB.name)' of foreign domain '\(domainB.name)'") {
        _ = try await asManager.users.update(userB.id, email: "changed@example.org")
      }
      try await denied("delete user '\(userB.name)' of foreign domain '\(domainB.name)'") {
        try await asManager.users.delete(userB.id)
      }
      try await denied("create a user in foreign domain '\(domainB.name)'") {
        _ = try await asManager.users.create(UserCreate(name: context.name("0302-intruder"), domainID: domainB.id))
      }
      try await denied("create a domain") {
        _ = try await asManager.domains.create(DomainCreate(name: context.name("0302-domain-c")))
      }
      if let userA {
        try await allowed("delete a user of its domain") { try await asManager.users.delete(userA.id) }
      }
    }
    for problem in problems { log.error(problem) }
    return problems.isEmpty
  }

  static func tearDown(_ identity: IdentityAPI, _ setup: SetUp, _ log: TestcaseLog) async {
    let domains = setup.domains
    if let error = await Cleanup.detached({
      for id in domains { try await identity.domains.delete(id) }
    }) {
      log.warning("clean-up incomplete (steward compliance cleanup --admin-cloud removes the rest): \(error)")
    }
  }
}
