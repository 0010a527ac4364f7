import Foundation
import StewardServer
import Storage
import StorageTestSupport
import Testing

@testable import Leasing

/// The booking and authorization rules through `LeasingService`, on SQLite and PostgreSQL.
enum LeasingContract {
  typealias F = LeasingFixture

  static func offerClaimFulfilExpire(_ f: LeasingFixture) async throws {
    let now = Date()
    let offer = try await f.service.createOffer(
      OfferInput(resourceType: "dummy_node", resourceUUID: "rack1-1", startTime: now.hours(-1), endTime: now.hours(10)),
      caller: F.owner)
    #expect(offer.resourceUUID == "node-1")
    #expect(offer.projectID == "owner-p")
    let lease = try await f.service.claim(
      offer.uuid, ClaimInput(startTime: now.hours(-0.5), endTime: now.hours(2)), caller: F.lessee)
    #expect(lease.projectID == "lessee-p")
    #expect(lease.ownerID == "owner-p")
    #expect(lease.status == .created)
    // The manager gives the node to the lessee...
    let first = try await f.server.manager.runOnce(now: now)
    #expect(first.fulfilled == [lease.uuid])
    #expect(await f.dummy.node("node-1")?.lesseeProjectID == "lessee-p")
    #expect(try await f.store.lease(uuid: lease.uuid)?.status == .active)
    // ...a second run changes nothing...
    let idle = try await f.server.manager.runOnce(now: now)
    #expect(idle.fulfilled.isEmpty && idle.expired.isEmpty)
    // ...and takes it back at the end; the offer expires at its own end.
    let later = try await f.server.manager.runOnce(now: now.hours(3))
    #expect(later.expired == [lease.uuid])
    #expect(await f.dummy.node("node-1")?.lesseeProjectID == nil)
    #expect(try await f.store.lease(uuid: lease.uuid)?.status == .expired)
    let end = try await f.server.manager.runOnce(now: now.hours(11))
    #expect(end.offersExpired == 1)
  }

  static func overlapsAndWindowsAreRefused(_ f: LeasingFixture) async throws {
    let now = Date()
    let offer = try await f.service.createOffer(
      OfferInput(resourceType: "dummy_node", resourceUUID: "node-1", startTime: now, endTime: now.hours(10)),
      caller: F.owner)
    // A second offer of the same node for an overlapping window.
    await expectError(.conflict) {
      try await f.service.createOffer(
        OfferInput(resourceType: "dummy_node", resourceUUID: "node-1", startTime: now.hours(5), endTime: now.hours(20)),
        caller: F.owner)
    }
    // Adjacent is fine.
    _ = try await f.service.createOffer(
      OfferInput(resourceType: "dummy_node", resourceUUID: "node-1", startTime: now.hours(10), endTime: now.hours(20)),
      caller: F.owner)
    _ = try await f.service.claim(
      offer.uuid, ClaimInput(startTime: now.hours(1), endTime: now.hours(3)), caller: F.lessee)
    await expectError(.conflict) {
      try await f.service.claim(offer.uuid, ClaimInput(startTime: now.hours(2), endTime: now.hours(4)), caller: F.other)
    }
    await expectError(.conflict) {
      try await f.service.claim(
        offer.uuid, ClaimInput(startTime: now.hours(9), endTime: now.hours(11)), caller: F.other)
    }
    // The owner may not lease the node directly over the offered window either.
    await expectError(.conflict) {
      try await f.service.createLease(
        LeaseInput(
          projectID: "other-p", resourceType: "dummy_node", resourceUUID: "node-1", startTime: now.hours(4),
          endTime: now.hours(5)), caller: F.owner)
    }
    // Without an end the claim runs to the next lease.
    let open = try await f.service.claim(offer.uuid, ClaimInput(startTime: now.hours(3.5)), caller: F.other)
    #expect(abs(open.endTime.timeIntervalSince(offer.endTime)) < 0.000_01)
    let before = try await f.service.claim(offer.uuid, ClaimInput(startTime: now.hours(0)), caller: F.other)
    #expect(abs(before.endTime.timeIntervalSince(now.hours(1))) < 0.001)
  }

  static func policyDenials(_ f: LeasingFixture) async throws {
    let now = Date()
    // Offering someone else's node.
    await expectError(.forbidden) {
      try await f.service.createOffer(
        OfferInput(resourceType: "dummy_node", resourceUUID: "node-3", startTime: now, endTime: now.hours(1)),
        caller: F.owner)
    }
    // Unknown nodes and bad windows are bad input.
    await expectError(.invalidInput) {
      try await f.service.createOffer(OfferInput(resourceType: "dummy_node", resourceUUID: "nope"), caller: F.owner)
    }
    await expectError(.invalidInput) {
      try await f.service.createOffer(
        OfferInput(resourceType: "dummy_node", resourceUUID: "node-1", startTime: now.hours(2), endTime: now.hours(1)),
        caller: F.owner)
    }
    await expectError(.invalidInput) {
      try await f.service.createOffer(OfferInput(resourceType: "unknown_type", resourceUUID: "node-1"), caller: F.owner)
    }
    // An offer for one project is invisible and unclaimable for others.
    let private_ = try await f.service.createOffer(
      OfferInput(
        resourceType: "dummy_node", resourceUUID: "node-2", lesseeID: "lessee-p", startTime: now,
        endTime: now.hours(5)), caller: F.owner)
    await expectError(.forbidden) { try await f.service.offer(private_.uuid, caller: F.other) }
    await expectError(.forbidden) { try await f.service.claim(private_.uuid, ClaimInput(), caller: F.other) }
    #expect(try await !f.service.offers(OfferQuery(), caller: F.other).contains { $0.uuid == private_.uuid })
    #expect(try await f.service.offers(OfferQuery(), caller: F.lessee).contains { $0.uuid == private_.uuid })
    #expect(try await f.service.offers(OfferQuery(), caller: F.admin).contains { $0.uuid == private_.uuid })
    // Only the owner (or admin) withdraws an offer.
    await expectError(.forbidden) { try await f.service.deleteOffer(private_.uuid, caller: F.lessee) }
    let lease = try await f.service.claim(private_.uuid, ClaimInput(endTime: now.hours(1)), caller: F.lessee)
    // Leases: lessee and owner see it, others get 403, admins see all.
    #expect(try await f.service.lease(lease.uuid, caller: F.owner).uuid == lease.uuid)
    #expect(try await f.service.lease(lease.uuid, caller: F.lessee).uuid == lease.uuid)
    await expectError(.forbidden) { try await f.service.lease(lease.uuid, caller: F.other) }
    await expectError(.forbidden) { try await f.service.deleteLease(lease.uuid, caller: F.other) }
    #expect(try await f.service.leases(LeaseQuery(), caller: F.other).isEmpty)
    #expect(try await f.service.leases(LeaseQuery(), caller: F.lessee).map(\.uuid) == [lease.uuid])
    await expectError(.forbidden) { try await f.service.leases(LeaseQuery(view: "all"), caller: F.lessee) }
    await expectError(.forbidden) { try await f.service.leases(LeaseQuery(projectID: "lessee-p"), caller: F.other) }
    #expect(try await f.service.leases(LeaseQuery(view: "all"), caller: F.admin).map(\.uuid) == [lease.uuid])
    await expectError(.notFound) { try await f.service.lease("no-such-lease", caller: F.admin) }
    // Nodes: the owner sees its nodes, the outsider only its own.
    #expect(try await f.service.nodes(caller: F.owner).map(\.resource.uuid) == ["node-1", "node-2"])
    #expect(try await f.service.nodes(caller: F.other).map(\.resource.uuid) == ["node-3"])
    // Deleting the offer cancels its lease.
    try await f.service.deleteOffer(private_.uuid, caller: F.owner)
    #expect(try await f.store.lease(uuid: lease.uuid)?.status == .deleted)
    await expectError(.notFound) { try await f.service.deleteOffer(private_.uuid, caller: F.owner) }
  }

  static func subleasing(_ f: LeasingFixture) async throws {
    let now = Date()
    let offer = try await f.service.createOffer(
      OfferInput(resourceType: "dummy_node", resourceUUID: "node-1", startTime: now.hours(-1), endTime: now.hours(10)),
      caller: F.owner)
    let parent = try await f.service.claim(
      offer.uuid, ClaimInput(startTime: now.hours(-1), endTime: now.hours(8)), caller: F.lessee)
    _ = try await f.server.manager.runOnce(now: now)
    // The lessee re-offers part of its lease; the outsider claims it.
    let sub = try await f.service.createOffer(
      OfferInput(resourceType: "dummy_node", resourceUUID: "node-1", startTime: now.hours(-0.5), endTime: now.hours(4)),
      caller: F.lessee)
    #expect(sub.parentLeaseUUID == parent.uuid)
    await expectError(.forbidden) {
      try await f.service.createOffer(
        OfferInput(resourceType: "dummy_node", resourceUUID: "node-1", startTime: now.hours(5), endTime: now.hours(9)),
        caller: F.lessee)
    }
    let child = try await f.service.claim(
      sub.uuid, ClaimInput(startTime: now.hours(-0.25), endTime: now.hours(2)), caller: F.other)
    #expect(child.parentLeaseUUID == parent.uuid)
    _ = try await f.server.manager.runOnce(now: now)
    #expect(await f.dummy.node("node-1")?.lesseeProjectID == "other-p")
    // When the sub-lease ends the node goes back to the parent's lessee.
    let report = try await f.server.manager.runOnce(now: now.hours(2.5))
    #expect(report.expired == [child.uuid])
    #expect(await f.dummy.node("node-1")?.lesseeProjectID == "lessee-p")
    #expect(await f.dummy.node("node-1")?.leaseUUID == parent.uuid)
  }

  /// Many lessees claim the same window at once: exactly one wins.
  static func concurrentClaimsHaveOneWinner(_ f: LeasingFixture, claimants: Int) async throws {
    let now = Date()
    let offer = try await f.service.createOffer(
      OfferInput(resourceType: "dummy_node", resourceUUID: "node-2", startTime: now, endTime: now.hours(10)),
      caller: F.owner)
    let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
      for index in 0..<claimants {
        group.addTask {
          let caller = Caller(userID: "u\(index)", projectID: "project-\(index)", roles: ["member"])
          do {
            _ = try await f.service.claim(
              offer.uuid, ClaimInput(startTime: now.hours(1), endTime: now.hours(2)), caller: caller)
            return true
          } catch let error as LeasingError where error.kind == .conflict {
            return false
          }
        }
      }
      return try await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(outcomes.filter { $0 }.count == 1)
    #expect(try await f.store.leases(LeaseFilter(offerUUID: offer.uuid)).count == 1)
  }

  static func cancelAndRestartRecovery(_ f: LeasingFixture) async throws {
    let now = Date()
    let offer = try await f.service.createOffer(
      OfferInput(resourceType: "dummy_node", resourceUUID: "node-1", startTime: now.hours(-1), endTime: now.hours(10)),
      caller: F.owner)
    let lease = try await f.service.claim(
      offer.uuid, ClaimInput(startTime: now.hours(-0.5), endTime: now.hours(5)), caller: F.lessee)
    _ = try await f.server.manager.runOnce(now: now)
    // Someone unset the lessee behind the service's back (or a crash lost it): the start-up reconcile repairs it.
    try await f.dummy.removeLease("node-1", leaseUUID: lease.uuid)
    let repaired = try await f.server.manager.runOnce(now: Date(), reconcile: true)
    #expect(repaired.fulfilled == [lease.uuid])
    #expect(await f.dummy.node("node-1")?.lesseeProjectID == "lessee-p")
    // A cancel interrupted after the database step (status 'wait cancel') is finished by the next run.
    _ = try await f.store.beginCancel(lease: lease.uuid)
    #expect(await f.dummy.node("node-1")?.lesseeProjectID == "lessee-p")
    let finished = try await f.server.manager.runOnce(now: Date())
    #expect(finished.cancelled == [lease.uuid])
    #expect(await f.dummy.node("node-1")?.lesseeProjectID == nil)
    #expect(try await f.store.lease(uuid: lease.uuid)?.status == .deleted)
  }

  static func expectError(
    _ kind: LeasingError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> some Any
  ) async {
    do {
      _ = try await body()
      Issue.record("expected \(kind), got success", sourceLocation: sourceLocation)
    } catch let error as LeasingError {
      #expect(error.kind == kind, "\(error.message)", sourceLocation: sourceLocation)
    } catch {
      Issue.record("expected \(kind), got \(error)", sourceLocation: sourceLocation)
    }
  }
}

@Suite("Leasing service on SQLite")
struct LeasingSQLiteTests {
  @Test func offerClaimFulfilExpire() async throws {
    try await LeasingFixture.withSQLite(LeasingContract.offerClaimFulfilExpire)
  }
  @Test func overlapsAndWindowsAreRefused() async throws {
    try await LeasingFixture.withSQLite(LeasingContract.overlapsAndWindowsAreRefused)
  }
  @Test func policyDenials() async throws { try await LeasingFixture.withSQLite(LeasingContract.policyDenials) }
  @Test func subleasing() async throws { try await LeasingFixture.withSQLite(LeasingContract.subleasing) }
  @Test func concurrentClaimsHaveOneWinner() async throws {
    try await LeasingFixture.withSQLite { try await LeasingContract.concurrentClaimsHaveOneWinner($0, claimants: 50) }
  }
  @Test func cancelAndRestartRecovery() async throws {
    try await LeasingFixture.withSQLite(LeasingContract.cancelAndRestartRecovery)
  }
}

@Suite("Leasing service on PostgreSQL", .postgres)
struct LeasingPostgresTests {
  @Test func offerClaimFulfilExpire() async throws {
    try await LeasingFixture.withPostgres(LeasingContract.offerClaimFulfilExpire)
  }
  @Test func overlapsAndWindowsAreRefused() async throws {
    try await LeasingFixture.withPostgres(LeasingContract.overlapsAndWindowsAreRefused)
  }
  @Test func policyDenials() async throws { try await LeasingFixture.withPostgres(LeasingContract.policyDenials) }
  @Test func subleasing() async throws { try await LeasingFixture.withPostgres(LeasingContract.subleasing) }
  @Test func concurrentClaimsHaveOneWinner() async throws {
    try await LeasingFixture.withPostgres { try await LeasingContract.concurrentClaimsHaveOneWinner($0, claimants: 50) }
  }
  @Test func cancelAndRestartRecovery() async throws {
    try await LeasingFixture.withPostgres(LeasingContract.cancelAndRestartRecovery)
  }
}
