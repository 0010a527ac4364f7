import Foundation
import Logging
import OpenStack
import StewardServer
import Synchronization
import Testing

@testable import MeteringService

struct Boom: Error {}

/// A Keystone stand-in that records writes and fails the step it is told to.
final class RecordingTeamBackend: TeamBackend, Sendable {
  let failAt: String?
  let log = Mutex<[String]>([])
  let projects = Mutex<Set<String>>([])

  init(failAt: String? = nil) { self.failAt = failAt }

  func note(_ entry: String) throws {
    log.withLock { $0.append(entry) }
    if let failAt, entry.hasPrefix(failAt) {
      throw Boom()
    }
  }

  func resolveDomain(_ ident: String) async throws -> String { ident == "default" ? "default" : "d-\(ident)" }
  func resolveUser(_ ident: String, domainID: String, field: String) async throws -> String {
    guard ident != "nobody" else { throw APIError.badRequest("\(field): no user \(ident)") }
    return "u-\(ident)"
  }
  func resolveRole(_ ident: String, field: String) async throws -> String { "r-\(ident)" }
  func projectExists(name: String, domainID: String) async throws -> Bool { name == "taken" }
  func createProject(name: String, domainID: String, description: String?) async throws -> String {
    try note("create \(name)")
    projects.withLock { _ = $0.insert("p-\(name)") }
    return "p-\(name)"
  }
  func deleteProject(_ id: String) async throws {
    try note("delete \(id)")
    projects.withLock { _ = $0.remove(id) }
  }
  func grant(role: String, user: String, project: String) async throws { try note("grant \(role) \(user)") }
  func revoke(role: String, user: String, project: String) async throws { try note("revoke \(role) \(user)") }
  func validateAccount(settings: [String: JSONValue]) throws {
    if settings["anchor_day"] == .int(31) { throw APIError.badRequest("billing.anchor_day: 1 to 28") }
  }
  func createAccount(project: String, name: String, settings: [String: JSONValue]) async throws {
    try note("account \(project)")
  }
  func deleteAccount(project: String) async throws { try note("close \(project)") }
}

@Suite("Team creation: plan, apply, roll back")
struct TeamCreatorTests {
  static let request = TeamRequest(
    name: "team-x", members: [.init(user: "alice", role: "member"), .init(user: "bob", role: "reader")])

  @Test func createsProjectGrantsAndAccountInOrder() async throws {
    let backend = RecordingTeamBackend()
    let result = try await TeamCreator(backend: backend, logger: Logger(label: "test")).create(Self.request)
    #expect(result.projectID == "p-team-x")
    #expect(
      backend.log.withLock { $0 } == [
        "create team-x", "grant r-member u-alice", "grant r-reader u-bob", "account p-team-x",
      ])
  }

  @Test func aFailureHalfWayUndoesWhatWasDone() async throws {
    let backend = RecordingTeamBackend(failAt: "grant r-reader")
    let error = await #expect(throws: APIError.self) {
      try await TeamCreator(backend: backend, logger: Logger(label: "test")).create(Self.request)
    }
    #expect(error?.status == .badGateway)
    #expect(error?.message.contains("grant role reader to user bob failed") == true)
    #expect(error?.message.contains("were undone") == true)
    #expect(
      backend.log.withLock { $0 } == [
        "create team-x", "grant r-member u-alice", "grant r-reader u-bob", "revoke r-member u-alice",
        "delete p-team-x",
      ])
    #expect(backend.projects.withLock { $0 }.isEmpty)
  }

  @Test func theBillingAccountFailingRemovesTheProject() async throws {
    let backend = RecordingTeamBackend(failAt: "account")
    await #expect(throws: APIError.self) {
      try await TeamCreator(backend: backend, logger: Logger(label: "test")).create(Self.request)
    }
    #expect(backend.projects.withLock { $0 }.isEmpty)
    #expect(backend.log.withLock { $0 }.last == "delete p-team-x")
  }

  @Test func unknownNamesAndTakenNamesWriteNothing() async throws {
    let backend = RecordingTeamBackend()
    let creator = TeamCreator(backend: backend, logger: Logger(label: "test"))
    let unknown = await #expect(throws: APIError.self) {
      try await creator.create(TeamRequest(name: "t", members: [.init(user: "nobody", role: "member")]))
    }
    #expect(unknown?.status == .badRequest)
    #expect(unknown?.message.hasPrefix("members[0].user") == true)
    let badAccount = await #expect(throws: APIError.self) {
      try await creator.create(TeamRequest(name: "t", billing: ["anchor_day": .int(31)]))
    }
    #expect(badAccount?.message.hasPrefix("billing.anchor_day") == true)
    let taken = await #expect(throws: APIError.self) { try await creator.create(TeamRequest(name: "taken")) }
    #expect(taken?.status == .conflict)
    #expect(backend.log.withLock { $0 }.isEmpty)
  }
}
