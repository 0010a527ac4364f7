import Foundation
import Metering
import OpenStack
import Testing

/// The reconciler alone (no notifications): the real APIs listed with all_tenants into an in-memory
/// store, and the ledger's instance-hours compared with Nova's os-simple-tenant-usage.
@Suite("Metering resync against the real cloud", .testCloud)
struct MeteringResyncTests {
  @Test func resyncFollowsAServerAndAgreesWithNovaUsage() async throws {
    let flavorID = UUID().uuidString.lowercased()
    let image = try await TestCloud.with("steward-admin") { session in
      _ = try await session.compute().flavors.create(
        FlavorCreate(name: TestCloud.name("meterflavor"), id: flavorID, vcpus: 1, ram: 128, disk: 1, isPublic: true))
      let images = try await session.image().images
      let image = try await images.create(ImageCreate(name: TestCloud.name("meterimage"), visibility: "public"))
      try await images.upload(image.id, bytes: Data(repeating: 7, count: 4096))
      try await images.waitFor(image.id)
      return image.id
    }
    let waiter = Waiter(timeout: .seconds(180), interval: .milliseconds(500))
    let (serverID, projectID) = try await TestCloud.with("steward-demo") { session in
      let servers = try await session.compute().servers
      let id = try await servers.create(
        ServerCreate(name: TestCloud.name("metered"), flavorRef: flavorID, imageRef: image, networks: .none))
      try await servers.waitFor(id, status: ["ACTIVE"], waiter: waiter)
      return (id, try await session.currentToken().project!.id)
    }
    let key = ResourceKey(.server, serverID)
    let store = InMemoryMeteringStore()
    try await TestCloud.with("steward-admin") { session in
      let observer = CloudObserver(session: session, pageSize: 50)
      let first = await observer.observe()
      #expect(
        first.observation.listedKinds.isSuperset(of: [.project, .user, .server, .network, .port, .floatingIP, .stack]),
        "every kind listed (stacks need the harness's stacks:global_index policy): \(first.failures)")
      #expect(first.failures[.server] == nil && first.failures[.project] == nil)
      let servers = first.observation.resources.keys.filter { $0.kind == .server }.count
      #expect(first.calls[.server] == servers / 50 + 1, "one call per page, never one per server")
      let plan = try await store.resync(first.observation, runID: "1")
      #expect(plan.repairs.contains { $0.kind == .unseen && $0.key == key })
      let opened = try await store.read { try await $0.history(of: key).rows }
      #expect(opened.count == 1 && opened[0].state == "active" && opened[0].projectID == projectID)
      #expect(opened[0].spec.vcpus == 1 && opened[0].end == nil)

      try await TestCloud.with("steward-demo") { demo in
        let servers = try await demo.compute().servers
        try await servers.perform(.stop, on: serverID)
        try await servers.waitFor(serverID, status: ["SHUTOFF"], waiter: waiter)
      }
      let second = await observer.observe()
      let repairs = try await store.resync(second.observation, runID: "2").repairs.filter { $0.key == key }
      #expect(repairs.map(\.kind) == [.changed])
      let rows = try await store.read { try await $0.history(of: key).rows }
      #expect(rows.map(\.state) == ["active", "stopped"])

      // Same window on both sides, ending in the past so open intervals count to the same instant.
      try await Task.sleep(for: .seconds(2))
      let end = Date()
      let start = opened[0].start.addingTimeInterval(-30)
      let nova = try await session.compute().usage.project(projectID, start: start, end: end)
      let novaHours = try #require(nova.serverUsages.first { $0.instanceID == serverID }).hours
      let ours = try #require(
        UsageReport.compute(projectID: projectID, from: start, to: end, intervals: rows, now: end).resources.first)
      #expect(abs(ours.hours - novaHours) <= novaHours * 0.01, "ledger \(ours.hours) h, Nova \(novaHours) h")

      try await TestCloud.with("steward-demo") { demo in
        let servers = try await demo.compute().servers
        try await servers.delete(serverID)
        try await servers.waitForDeletion(serverID, waiter: waiter)
      }
      let third = await observer.observe()
      _ = try await store.resync(third.observation, runID: "3")
      let closed = try await store.read { try await $0.history(of: key).rows }
      #expect(closed.last?.end == third.observation.observedAt)
      #expect(try await store.read { try await $0.viewEntry(key)?.isLive } == false)

      try await session.compute().flavors.delete(flavorID)
      try await session.image().images.delete(image)
    }
  }
}
