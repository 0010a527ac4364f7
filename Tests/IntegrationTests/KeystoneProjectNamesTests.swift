import Foundation
import OpenStack
import StewardServer
import Testing

/// The cached project-name listing both services use for `project`/`owner`/`lessee` fields: a project
/// made after the last listing is still shown by name, without waiting for the cache to expire.
@Suite("Keystone project names against the real Keystone", .testCloud)
struct KeystoneProjectNamesTests {
  @Test func projectsMissingFromTheCachedListingAreLookedUpOneByOne() async throws {
    try await TestCloud.with("steward-admin") { session in
      let names = KeystoneProjectNames(session: session, ttl: 600)
      let listed = await names.names()
      let demo = try #require(try await session.identity().projects.find("demo"))
      #expect(listed[demo.id] == "demo")
      let name = TestCloud.name("names")
      let project = try await session.identity().projects.create(ProjectCreate(name: name, domainID: "default"))
      defer { Task { try? await session.identity().projects.delete(project.id) } }
      // The listing is cached for ten minutes and predates the project.
      #expect(await names.names()[project.id] == nil)
      let unknown = String(repeating: "f", count: 32)
      let resolved = await names.names(including: [project.id, demo.id, unknown])
      #expect(resolved[project.id] == name)
      #expect(resolved[demo.id] == "demo")
      #expect(resolved[unknown] == nil)
    }
  }
}
