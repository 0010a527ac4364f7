import Billing
import Foundation
import Metering
import OpenStack
import StewardCore
import Storage
import Testing

/// The opt-in enforcement on the REAL cloud: a demo-project server the ledger knows as active, an account with
/// `enforcement: stop` whose credit is exhausted; the plan names exactly that server, and applying it through
/// Nova (admin session) stops it. Without the opt-in nothing is planned.
@Suite("Billing enforcement stops an exhausted project's server", .testCloud)
struct BillingEnforcementTests {
  static let waiter = Waiter(timeout: .seconds(240), interval: .milliseconds(500))

  @Test func exhaustedCreditStopsTheServer() async throws {
    let path = NSTemporaryDirectory() + "steward-enforce-\(UUID().uuidString.prefix(8)).sqlite"
    defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
    let database = try await DatabaseOpener.open(path)
    let metering = try await SQLMeteringStore.open(database)
    let prices = try PriceListLoader.parse(
      """
      name: enforce
      currency: EUR
      effective_from: 2020-01-01
      server: {vcpu_hour: "1.00"}
      """, file: "enforce.yaml")
    let service = BillingService(
      store: try await BillingStore.open(database), metering: metering, schedule: try PriceSchedule(prices))

    let flavorID = UUID().uuidString.lowercased()
    let image = try await TestCloud.with("steward-admin") { session in
      _ = try await session.compute().flavors.create(
        FlavorCreate(name: TestCloud.name("enforceflavor"), id: flavorID, vcpus: 1, ram: 128, disk: 1, isPublic: true))
      let images = try await session.image().images
      let image = try await images.create(ImageCreate(name: TestCloud.name("enforceimage"), visibility: "public"))
      try await images.upload(image.id, bytes: Data(repeating: 7, count: 4096))
      try await images.waitFor(image.id)
      return image.id
    }
    func cleanUp(server: String?) async {
      try? await TestCloud.with("steward-admin") { session in
        if let server {
          try? await session.compute().servers.delete(server)
          try? await session.compute().servers.waitForDeletion(server, waiter: Self.waiter)
        }
        try? await session.compute().flavors.delete(flavorID)
        try? await session.image().images.delete(image)
      }
    }

    var serverID: String?
    do {
      let (project, server) = try await TestCloud.with("steward-demo") { session in
        let project = try #require(try await session.currentToken().project?.id)
        let servers = try await session.compute().servers
        let id = try await servers.create(
          ServerCreate(name: TestCloud.name("enforced"), flavorRef: flavorID, imageRef: image, networks: .none))
        try await servers.waitFor(id, status: ["ACTIVE"], waiter: Self.waiter)
        return (project, id)
      }
      serverID = server
      // The ledger as metering would have it: active since an hour ago (1 vCPU x 1.00 per hour).
      try await metering.write { writer in
        try await writer.apply(
          Observation(
            key: ResourceKey(.server, server), time: Date().addingTimeInterval(-3600), sourceID: "test",
            snapshot: ResourceSnapshot(
              projectID: project, name: "enforced", state: "active", spec: ResourceSpec(flavor: "x", vcpus: 1))))
      }
      let now = Date()
      try await service.store.save(
        account: BillingAccount(projectID: project, createdAt: now.addingTimeInterval(-7200)))
      #expect(try await service.enforcementPlan(now: now).steps.isEmpty, "no opt-in, no plan")

      try await service.store.save(
        account: BillingAccount(projectID: project, enforcement: .stop, createdAt: now.addingTimeInterval(-7200)))
      try await service.store.addCredit(projectID: project, amount: Money("0.50", "EUR")!, reason: "test", at: now)
      let balance = try await service.balance(projectID: project, now: now)
      #expect(balance.isExhausted, "\(balance)")
      let (plan, steps) = try await service.enforcementPlan(now: now)
      #expect(steps.map(\.serverID) == [server] && steps[0].action == .stop, "\(plan.render(format: .table))")

      let report = try await TestCloud.with("steward-admin") { session in
        await BillingService.applyEnforcement(steps, session: session)
      }
      #expect(report.succeeded, "\(report.render(format: .table))")
      let status = try await TestCloud.with("steward-admin") { session in
        try await session.compute().servers.waitFor(server, status: ["SHUTOFF"], waiter: Self.waiter)
      }
      #expect(status == "SHUTOFF")
    } catch {
      await cleanUp(server: serverID)
      throw error
    }
    await cleanUp(server: serverID)
    await database.close()
  }
}
