import Foundation
import OpenStack
import Testing

@Suite("Identity client against the real Keystone", .testCloud)
struct IdentityTests {
  @Test func domainProjectUserAndRoleGrants() async throws {
    try await TestCloud.with("steward-admin") { session in
      let identity = try await session.identity()
      let domain = try await identity.domains.create(DomainCreate(name: TestCloud.name("dom"), description: "test"))
      do {
        let project = try await identity.projects.create(ProjectCreate(name: "first", domainID: domain.id))
        let user = try await identity.users.create(
          UserCreate(name: "alice", domainID: domain.id, password: "pw-\(UUID().uuidString)", email: "a@example.com"))
        #expect(try await identity.projects.find("first", domainID: domain.id)?.id == project.id)
        #expect(try await identity.users.find("alice", domainID: domain.id)?.email == "a@example.com")
        #expect(try await identity.domains.find(domain.name)?.id == domain.id)

        let member = try #require(try await identity.roles.find("member"))
        let manager = try #require(try await identity.roles.find("manager"))
        #expect(try await identity.roles.find("load-balancer_member") != nil)
        #expect(try await identity.roles.find("creator") != nil)
        try await identity.roles.grant(role: member.id, user: user.id, on: .project(project.id))
        try await identity.roles.grant(role: member.id, user: user.id, on: .project(project.id))  // idempotent
        try await identity.roles.grant(role: manager.id, user: user.id, on: .domain(domain.id))
        #expect(try await identity.roles.isGranted(role: member.id, user: user.id, on: .project(project.id)))
        #expect(try await !identity.roles.isGranted(role: manager.id, user: user.id, on: .project(project.id)))
        let assignments = try await identity.roles.assignments(user: user.id)
        #expect(Set(assignments.compactMap(\.role.name)) == ["member", "manager"])
        #expect(assignments.contains { $0.scope.domain?.id == domain.id && $0.role.name == "manager" })
        try await identity.roles.revoke(role: manager.id, user: user.id, on: .domain(domain.id))
        #expect(try await identity.roles.assignments(user: user.id).count == 1)

        try await identity.users.delete(user.id)
        try await identity.projects.delete(project.id)
        #expect(try await identity.projects.find(project.id) == nil)
      } catch {
        try? await identity.domains.delete(domain.id)
        throw error
      }
      try await identity.domains.delete(domain.id)
      #expect(try await identity.domains.find(domain.id) == nil)
    }
  }

  @Test func memberCannotCreateDomains() async throws {
    try await TestCloud.with("steward-demo") { session in
      do {
        _ = try await session.identity().domains.create(DomainCreate(name: TestCloud.name("nope")))
        Issue.record("a member created a domain")
      } catch let error as OpenStackError {
        #expect(error.isForbidden)
        #expect(!error.message.isEmpty)
      }
    }
  }
}
