import AMQP
import Billing
import Foundation
import Metering
import OpenStack
import Storage
import Testing

/// End to end on the REAL cloud: a server (active, then stopped) and a volume are created and deleted as the
/// demo project, metering follows them from the notifications into a SQLite ledger, and billing rates that
/// ledger. The invoice lines of these resources must equal, to the cent, what is computed here by hand from the
/// recorded interval times with Foundation's Decimal (an arithmetic independent of Billing's).
///
/// Prices are per second so a test that lasts seconds has cents to check: the test flavor costs 1.00 per
/// second (3600 per hour), a stopped server's root disk 0.10 per GiB-second, a volume 1.00 per GiB-second.
@Suite("Billing invoices the real cloud's ledger to the cent", .testCloud)
struct BillingInvoiceTests {
  static let waiter = Waiter(timeout: .seconds(240), interval: .milliseconds(500))

  static func prices(flavor: String) -> String {
    """
    name: per-second
    currency: EUR
    effective_from: 2020-01-01
    rounding: {scale: 2, mode: half-even}
    hours_per_month: 730
    server:
      flavors: {"\(flavor)": "3600"}
      disk_gib_hour: "360"
      states: {building: none, stopped: disk, default: full}
    volume:
      gib_month: "2628000"
    """
  }

  /// `seconds × rate` with Foundation.Decimal, rounded half-even to cents.
  static func handAmount(_ rows: [UsageInterval], ratePerSecond: Decimal) -> Decimal {
    var seconds = Decimal(0)
    for row in rows {
      let micros = SQLValue.microseconds(row.end!) - SQLValue.microseconds(row.start)
      seconds += Decimal(micros) / Decimal(1_000_000)
    }
    var exact = seconds * ratePerSecond
    var rounded = Decimal()
    NSDecimalRound(&rounded, &exact, 2, .bankers)
    return rounded
  }

  @Test func serverAndVolumeInvoiceEqualsHandComputation() async throws {
    let start = Date()
    let queue = TestCloud.name("billing-follow")
    let path = NSTemporaryDirectory() + "steward-billing-\(UUID().uuidString.prefix(8)).sqlite"
    defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
    let database = try await DatabaseOpener.open(path)
    let store = try await SQLMeteringStore.open(database)
    let consumer = AMQPConsumer(
      configuration: try TestBroker.configuration(),
      topology: .notifications(queue: queue, queueArguments: ["x-expires": .int32(600_000)], prefetch: 64))
    let loop = NotificationConsumerLoop(
      ingestor: NotificationIngestor(store: store), maxBatch: 32, maxDelay: .milliseconds(50))
    let run = Task { try await MeteringConsumer(consumer: consumer, loop: loop).run() }
    defer { run.cancel() }
    for _ in 0..<400 where consumer.status.sessions == 0 { try await Task.sleep(for: .milliseconds(50)) }
    try #require(consumer.status.sessions > 0, "the consumer is bound before the cloud is driven")

    let flavorID = UUID().uuidString.lowercased()
    let flavorName = TestCloud.name("billflavor")
    let image = try await TestCloud.with("steward-admin") { session in
      _ = try await session.compute().flavors.create(
        FlavorCreate(name: flavorName, id: flavorID, vcpus: 1, ram: 128, disk: 1, isPublic: true))
      let images = try await session.image().images
      let image = try await images.create(ImageCreate(name: TestCloud.name("billimage"), visibility: "public"))
      try await images.upload(image.id, bytes: Data(repeating: 7, count: 4096))
      try await images.waitFor(image.id)
      return image.id
    }
    func cleanUp() async {
      try? await TestCloud.with("steward-admin") { session in
        try? await session.compute().flavors.delete(flavorID)
        try? await session.image().images.delete(image)
      }
    }

    let ids: (project: String, server: String, volume: String)
    do {
      ids = try await TestCloud.with("steward-demo") { session in
        let project = try #require(try await session.currentToken().project?.id)
        let servers = try await session.compute().servers
        let storage = try await session.blockStorage()
        let server = try await servers.create(
          ServerCreate(name: TestCloud.name("billed"), flavorRef: flavorID, imageRef: image, networks: .none))
        let volume = try await storage.volumes.create(VolumeCreate(name: TestCloud.name("billedvol"), size: 1))
        do {
          try await servers.waitFor(server, status: ["ACTIVE"], waiter: Self.waiter)
          _ = try await MeteringFollowTests.follow(store, ResourceKey(.server, server), "active") { rows, _ in
            rows.last?.state == "active"
          }
          try await Task.sleep(for: .seconds(3))
          try await servers.perform(.stop, on: server)
          try await servers.waitFor(server, status: ["SHUTOFF"], waiter: Self.waiter)
          _ = try await MeteringFollowTests.follow(store, ResourceKey(.server, server), "stopped") { rows, _ in
            rows.last?.state == "stopped"
          }
          try await Task.sleep(for: .seconds(2))
          try await servers.delete(server)
          try await servers.waitForDeletion(server, waiter: Self.waiter)
          try await storage.waitFor(volume: volume.id, status: ["available"], waiter: Self.waiter)
          try await storage.volumes.delete(volume.id)
          try await BlockStorageTests.waitUntilGone { try await storage.volumes.find(volume.id) != nil }
        } catch {
          try? await servers.delete(server)
          try? await storage.volumes.deleteIfPresent(volume.id)
          throw error
        }
        return (project, server, volume.id)
      }
    } catch {
      await cleanUp()
      throw error
    }
    await cleanUp()

    let serverRows = try await MeteringFollowTests.follow(store, ResourceKey(.server, ids.server), "deleted") {
      rows, view in view?.deletedAt != nil && !rows.isEmpty && rows.allSatisfy { $0.end != nil }
    }
    let volumeRows = try await MeteringFollowTests.follow(store, ResourceKey(.volume, ids.volume), "volume deleted") {
      rows, view in view?.deletedAt != nil && !rows.isEmpty && rows.allSatisfy { $0.end != nil }
    }
    run.cancel()
    _ = try? await run.value
    try await TestBroker.with { c in
      let ch = try await c.openChannel()
      _ = try await ch.queueDelete(queue)
    }

    // By hand: active seconds x 1.00; stopped seconds x 1 GiB x 0.10; volume seconds in billed states x 1.00.
    let active = serverRows.filter { $0.state == "active" }
    let stopped = serverRows.filter { $0.state == "stopped" }
    let billedVolume = volumeRows.filter { !["creating", "error", "deleting", "error_deleting"].contains($0.state) }
    try #require(!active.isEmpty && !stopped.isEmpty && !billedVolume.isEmpty, "\(serverRows) \(volumeRows)")
    let expected = [
      "\(ids.server) flavor": Self.handAmount(active, ratePerSecond: 1),
      "\(ids.server) disk": Self.handAmount(stopped, ratePerSecond: Decimal(string: "0.10")!),
      "\(ids.volume) volume": Self.handAmount(billedVolume, ratePerSecond: 1),
    ]

    let pricesPath = NSTemporaryDirectory() + "steward-prices-\(UUID().uuidString.prefix(8)).yaml"
    defer { try? FileManager.default.removeItem(atPath: pricesPath) }
    try Data(Self.prices(flavor: flavorName).utf8).write(to: URL(fileURLWithPath: pricesPath))
    let service = BillingService(
      store: try await BillingStore.open(database), metering: store,
      schedule: try PriceListLoader.schedule(files: [pricesPath]))
    let now = Date()
    let period = BillingPeriod(id: "test", start: start.addingTimeInterval(-60), end: now.addingTimeInterval(60))
    let invoice = try await service.draft(projectID: ids.project, period: period, now: now)
    // The demo project is shared with other tests: only this test's resources are compared.
    let mine = invoice.lines.filter { [ids.server, ids.volume].contains($0.resourceID) }
    var actual: [String: Decimal] = [:]
    for line in mine {
      actual["\(line.resourceID) \(line.component)", default: 0] += Decimal(string: line.amount.description)!
    }
    #expect(
      actual == expected, "lines: \(mine.map { "\($0.resourceID) \($0.component) \($0.quantity) = \($0.amount)" })")
    #expect(mine.allSatisfy { $0.amount.scale == 2 })
    let sum = mine.reduce(DecimalNumber.zero) { $0 + $1.amount }
    #expect(Decimal(string: sum.description)! == expected.values.reduce(0, +))
    #expect(sum > DecimalNumber("1.00")!, "seconds of active time cost more than a euro")

    // Re-rating the same ledger gives the same bytes.
    let again = try await service.draft(projectID: ids.project, period: period, now: now)
    #expect(again.canonicalJSON() == invoice.canonicalJSON())
    await database.close()
  }
}
