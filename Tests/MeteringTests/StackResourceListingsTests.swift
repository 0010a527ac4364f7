import Foundation
import Metering
import Testing

/// Which stacks a resync asks Heat about: every one the first time, then only new, changed, unsettled and
/// growing ones; remembered through a resync on both SQL backends and the in-memory store.
@Suite struct StackResourceListingsTests {
  typealias S = StackResourceListings.Stack
  let t0 = Date(timeIntervalSince1970: 1_790_000_000)
  func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }

  @Test func onlyNewChangedUnsettledAndGrowingStacksAreAskedAgain() {
    let stacks = [
      S(id: "same", projectID: "p1", status: "CREATE_COMPLETE", changedAt: at(0)),
      S(id: "updated", projectID: "p1", status: "UPDATE_COMPLETE", changedAt: at(30)),
      S(id: "new", projectID: "p1", status: "CREATE_COMPLETE", changedAt: at(40)),
      S(id: "busy", projectID: "p1", status: "UPDATE_IN_PROGRESS", changedAt: at(5)),
      S(id: "undated", projectID: "p1", status: "CREATE_COMPLETE", changedAt: nil),
      S(id: "grown", projectID: "p2", status: "CREATE_COMPLETE", changedAt: at(0)),
    ]
    // Nothing remembered: every stack.
    #expect(StackResourceListings().stacksToList(stacks, newResourceProjects: []).count == stacks.count)
    let known = StackResourceListings(
      listedAt: at(20), stacks: ["same": at(0), "updated": at(10), "busy": at(5), "grown": at(0)])
    #expect(
      known.stacksToList(stacks, newResourceProjects: []).map(\.id) == ["updated", "new", "busy", "undated"])
    #expect(
      known.stacksToList(stacks, newResourceProjects: ["p2"]).map(\.id) == [
        "updated", "new", "busy", "undated", "grown",
      ])
  }

  @Test func serversAndVolumesStartedSinceTheListingMarkTheirProject() {
    var observation = CloudObservation(observedAt: at(30))
    func resource(_ project: String, since: Double?, stack: String? = nil) -> ObservedResource {
      ObservedResource(
        snapshot: ResourceSnapshot(projectID: project, state: "active", stackID: stack), since: since.map(at))
    }
    observation.add(
      .server,
      [
        (id: "old", resource: resource("p1", since: 1)),
        (id: "tagged", resource: resource("p2", since: 25, stack: "st")),
      ])
    observation.add(.volume, [(id: "fresh", resource: resource("p3", since: 21))])
    observation.add(.port, [(id: "port", resource: resource("p4", since: nil))])
    let known = StackResourceListings(listedAt: at(20))
    // p2's new server names its stack itself; p4's port has no start time.
    #expect(known.projectsWithNewResources(observation) == ["p3"])
    #expect(StackResourceListings().projectsWithNewResources(observation).isEmpty)
  }

  @Test(arguments: SQLMeteringStoreTests.Backend.allCases)
  func aResyncRemembersTheListings(backend: SQLMeteringStoreTests.Backend) async throws {
    let listings = StackResourceListings(listedAt: at(20), stacks: ["a": at(0), "b": at(10)])
    var observation = CloudObservation(observedAt: at(20))
    observation.stackListings = listings
    func check(_ store: some MeteringStore) async throws {
      #expect(try await store.read { try await $0.stackResourceListings() } == StackResourceListings())
      _ = try await store.resync(observation, runID: "dry", dryRun: true)
      #expect(try await store.read { try await $0.stackResourceListings() } == StackResourceListings())
      _ = try await store.resync(observation, runID: "r1")
      #expect(try await store.read { try await $0.stackResourceListings() } == listings)
      // A resync that did not list stacks keeps them; one that did replaces them ("a" deleted meanwhile).
      _ = try await store.resync(CloudObservation(observedAt: at(30)), runID: "r2")
      #expect(try await store.read { try await $0.stackResourceListings() } == listings)
      var next = CloudObservation(observedAt: at(40))
      next.stackListings = StackResourceListings(listedAt: at(40), stacks: ["b": at(10)])
      _ = try await store.resync(next, runID: "r3")
      #expect(try await store.read { try await $0.stackResourceListings() } == next.stackListings)
    }
    try await check(InMemoryMeteringStore())
    switch backend {
    case .sqlite: try await MeteringTestDatabases.withSQLite { try await check($0) }
    case .postgres:
      guard MeteringTestDatabases.postgresAvailable else { return }
      try await MeteringTestDatabases.withPostgres { try await check($0) }
    }
  }
}
