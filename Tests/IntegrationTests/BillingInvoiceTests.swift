import AMQP
import Billing
import Foundation
import Metering
import OpenStack
import Storage
import Testing

/// End to end on the REAL cloud: in a fresh project, a server (active, then stopped), a volume and a Heat stack
/// with a server in it are created and deleted, metering follows them from the notifications into a SQLite
/// ledger, and billing rates that ledger. Every invoice line, the stack's subtotal and the project total must
/// equal, to the cent, what is computed here by hand from the recorded interval times with Foundation's Decimal
/// (an arithmetic independent of Billing's). The project is the test's own, so its invoice holds nothing else.
///
/// Prices are per second so a test that lasts seconds has cents to check: the test flavor costs 1.00 per
/// second (3600 per hour), a stopped server's root disk 0.10 per GiB-second, a volume 1.00 per GiB-second; a
/// stack costs a flat 5.00 and the project 10.00 per period.
@Suite("Billing invoices the real cloud's ledger to the cent", .testCloud)
struct BillingInvoiceTests {
  static let waiter = Waiter(timeout: .seconds(300), interval: .milliseconds(500))
  /// Heat's engine validates a template against Nova and Glance before it creates anything, which takes a
  /// minute or more under the full suite's load; creating and deleting the stack's net, subnet and server
  /// takes longer still.
  static let stackWaiter = Waiter(timeout: .seconds(600), interval: .seconds(1))
  static let stackFee = Decimal(string: "5.00")!
  static let projectFee = Decimal(string: "10.00")!

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
    fees: {stack: "\(stackFee)", project: "\(projectFee)"}
    """
  }

  /// A rack with one server, tagged with its stack so metering places it from Nova's notifications alone.
  static func template(_ suffix: String) -> String {
    """
    heat_template_version: 2021-04-16
    parameters:
      image: {type: string}
      flavor: {type: string}
    resources:
      net: {type: OS::Neutron::Net, properties: {name: bill-rack-net-\(suffix)}}
      subnet:
        type: OS::Neutron::Subnet
        properties: {network: {get_resource: net}, cidr: 10.252.\(Int.random(in: 1...250)).0/24}
      server:
        type: OS::Nova::Server
        depends_on: subnet
        properties:
          image: {get_param: image}
          flavor: {get_param: flavor}
          networks: [{network: {get_resource: net}}]
          metadata: {"metering.stack": {get_param: "OS::stack_id"}}
    """
  }

  /// The server states the price list above charges in full (`default: full`) and at disk only.
  static func fullRows(_ rows: [UsageInterval]) -> [UsageInterval] {
    rows.filter { !["building", "stopped"].contains($0.state) }
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

  /// What the test made in its project.
  struct Made: Sendable {
    var project: String
    var server: String
    var volume: String
    var stack: String
    var stackName: String
    var stackServer: String
  }

  @Test func serverVolumeAndStackInvoiceEqualsHandComputation() async throws {
    let start = Date()
    let queue = TestCloud.name("billing-follow")
    let path = MeteringTestSupport.temporaryDatabase("billing")
    defer { MeteringTestSupport.removeDatabase(path) }
    let database = try await DatabaseOpener.open(path)
    let store = try await SQLMeteringStore.open(database)
    let run = try await MeteringTestSupport.followNotifications(queue: queue, into: store)
    defer { run.cancel() }

    let flavorID = UUID().uuidString.lowercased()
    let flavorName = TestCloud.name("billflavor")
    func cleanUp(image: String?) async {
      try? await TestCloud.with("steward-admin") { session in
        try? await session.compute().flavors.delete(flavorID)
        if let image { try? await session.image().images.delete(image) }
      }
    }
    var image: String?
    let made: Made
    do {
      let imageID = try await TestCloud.with("steward-admin") { session in
        _ = try await session.compute().flavors.create(
          FlavorCreate(name: flavorName, id: flavorID, vcpus: 1, ram: 128, disk: 1, isPublic: true))
        let images = try await session.image().images
        let image = try await images.create(ImageCreate(name: TestCloud.name("billimage"), visibility: "public"))
        try await images.upload(image.id, bytes: Data(repeating: 7, count: 4096))
        try await images.waitFor(image.id)
        return image.id
      }
      image = imageID
      made = try await MeteringTestSupport.withProject("billing") { project, session in
        try await Self.drive(session, project: project, flavor: flavorID, image: imageID, store: store)
      }
    } catch {
      await cleanUp(image: image)
      await MeteringTestSupport.deleteQueues([queue])
      throw error
    }
    await cleanUp(image: image)

    let closed: @Sendable ([UsageInterval], ViewEntry?) -> Bool = { rows, view in
      view?.deletedAt != nil && !rows.isEmpty && rows.allSatisfy { $0.end != nil }
    }
    let serverRows = try await MeteringFollowTests.follow(
      store, ResourceKey(.server, made.server), "deleted", until: closed)
    let volumeRows = try await MeteringFollowTests.follow(
      store, ResourceKey(.volume, made.volume), "volume deleted", until: closed)
    let stackServerRows = try await MeteringFollowTests.follow(
      store, ResourceKey(.server, made.stackServer), "stack server deleted", until: closed)
    let stackDeleted = try await MeteringTestSupport.eventually(.seconds(120), every: .milliseconds(500)) {
      try await store.read { try await $0.viewEntry(ResourceKey(.stack, made.stack)) }?.deletedAt != nil
    }
    #expect(stackDeleted, "the stack's deletion followed from Heat's notifications")
    run.cancel()
    _ = try? await run.value
    await MeteringTestSupport.deleteQueues([queue])

    // By hand: active seconds x 1.00; stopped seconds x 1 GiB x 0.10; volume seconds in billed states x 1.00;
    // the stack's server like any other, and the flat fees once each.
    let full = Self.fullRows(serverRows)
    let stopped = serverRows.filter { $0.state == "stopped" }
    let billedVolume = volumeRows.filter { !["creating", "error", "deleting", "error_deleting"].contains($0.state) }
    let stackServerFull = Self.fullRows(stackServerRows)
    let ledger = [serverRows, volumeRows, stackServerRows].map(MeteringFollowTests.describe)
    try #require(
      full.contains { $0.state == "active" } && !stopped.isEmpty && !billedVolume.isEmpty
        && stackServerFull.contains { $0.state == "active" } && !stackServerRows.contains { $0.state == "stopped" },
      "server, volume, stack server: \(ledger)")
    let stackServerAmount = Self.handAmount(stackServerFull, ratePerSecond: 1)
    let expected = [
      "\(made.server) flavor": Self.handAmount(full, ratePerSecond: 1),
      "\(made.server) disk": Self.handAmount(stopped, ratePerSecond: Decimal(string: "0.10")!),
      "\(made.volume) volume": Self.handAmount(billedVolume, ratePerSecond: 1),
      "\(made.stackServer) flavor": stackServerAmount,
      "\(made.stack) stack_fee": Self.stackFee,
      "\(made.project) project_fee": Self.projectFee,
    ]
    let expectedStack = Self.stackFee + stackServerAmount
    let expectedTotal = expected.values.reduce(0, +)

    let pricesPath = NSTemporaryDirectory() + "steward-prices-\(UUID().uuidString.prefix(8)).yaml"
    defer { try? FileManager.default.removeItem(atPath: pricesPath) }
    try Data(Self.prices(flavor: flavorName).utf8).write(to: URL(fileURLWithPath: pricesPath))
    let service = BillingService(
      store: try await BillingStore.open(database), metering: store,
      schedule: try PriceListLoader.schedule(files: [pricesPath]))
    let now = Date()
    let period = BillingPeriod(id: "test", start: start.addingTimeInterval(-60), end: now.addingTimeInterval(60))
    let invoice = try await service.draft(projectID: made.project, period: period, now: now)
    let described = invoice.lines.map {
      "\($0.resourceID) \($0.component) \($0.quantity) = \($0.amount) stack \($0.stackID ?? "-")"
    }
    // The project is the test's own: every line is one of these.
    var actual: [String: Decimal] = [:]
    for line in invoice.lines {
      actual["\(line.resourceID) \(line.component)", default: 0] += Decimal(string: line.amount.description)!
    }
    #expect(actual == expected, "lines: \(described)")
    #expect(invoice.unpriced.isEmpty, "\(invoice.unpriced)")
    #expect(invoice.lines.allSatisfy { $0.amount.scale == 2 })

    // The stack's server and its fee are grouped under the stack; the other resources under none.
    for line in invoice.lines {
      let inStack = [made.stack, made.stackServer].contains(line.resourceID)
      #expect(line.stackID == (inStack ? made.stack : nil), "\(line.resourceID) \(line.component): \(described)")
    }
    #expect(invoice.stacks.map(\.stackID) == [made.stack])
    #expect(invoice.stacks.first?.name == made.stackName)
    let stackTotal = try #require(invoice.stacks.first).amount
    #expect(Decimal(string: stackTotal.description)! == expectedStack, "stack subtotal")
    #expect(Decimal(string: invoice.total.description)! == expectedTotal, "project total")
    #expect(invoice.total > DecimalNumber("16.00")!, "seconds of active time cost more than a euro beyond the fees")

    // Re-rating the same ledger gives the same bytes.
    let again = try await service.draft(projectID: made.project, period: period, now: now)
    #expect(again.canonicalJSON() == invoice.canonicalJSON())
    await database.close()
  }

  /// Creates the stack (Heat works on it meanwhile), takes a server through active and stopped and a volume
  /// through its life, waits for the stack's server to be billed while active, then deletes everything. On a
  /// failure, whatever was made is deleted before the project is (the stack first: Heat needs the project to
  /// delete it).
  static func drive(
    _ session: Session, project: String, flavor: String, image: String, store: some MeteringStore
  ) async throws -> Made {
    let servers = try await session.compute().servers
    let storage = try await session.blockStorage()
    let stacks = try await session.orchestration().stacks
    let stackName = TestCloud.name("billrack")
    var stackID: String?
    var serverID: String?
    var volumeID: String?
    do {
      let stack = try await MeteringTestSupport.createStack(stacks, name: stackName) {
        try await stacks.create(
          name: stackName, template: Self.template(String(stackName.suffix(8))),
          parameters: ["image": image, "flavor": flavor])
      }
      stackID = stack

      let server = try await servers.create(
        ServerCreate(name: TestCloud.name("billed"), flavorRef: flavor, imageRef: image, networks: .none))
      serverID = server
      let volume = try await storage.volumes.create(VolumeCreate(name: TestCloud.name("billedvol"), size: 1)).id
      volumeID = volume
      try await servers.waitFor(server, status: ["ACTIVE"], waiter: waiter)
      _ = try await MeteringFollowTests.follow(store, ResourceKey(.server, server), "active") { rows, _ in
        rows.last?.state == "active"
      }
      try await Task.sleep(for: .seconds(3))
      try await servers.perform(.stop, on: server)
      try await servers.waitFor(server, status: ["SHUTOFF"], waiter: waiter)
      _ = try await MeteringFollowTests.follow(store, ResourceKey(.server, server), "stopped") { rows, _ in
        rows.last?.state == "stopped"
      }
      try await Task.sleep(for: .seconds(2))
      try await servers.delete(server)
      try await servers.waitForDeletion(server, waiter: waiter)
      try await storage.waitFor(volume: volume, status: ["available"], waiter: waiter)
      try await storage.volumes.delete(volume)
      try await BlockStorageTests.waitUntilGone { try await storage.volumes.find(volume) != nil }

      try await stackWaiter.wait(for: "stack \(stackName)", done: ["CREATE_COMPLETE"]) {
        let status = try await stacks.get(name: stackName, id: stack)
        guard status.stackStatus != "CREATE_FAILED" else {
          throw MeteringTestSupport.Failed("stack \(stackName) CREATE_FAILED: \(status.stackStatusReason ?? "")")
        }
        return status.stackStatus ?? ""
      }
      let resources = try await stacks.resources(stackName: stackName, stackID: stack)
      let stackServer = try #require(resources.first { $0.resourceName == "server" }?.physicalResourceID)
      _ = try await MeteringFollowTests.follow(store, ResourceKey(.server, stackServer), "stack server active") {
        rows, view in rows.last?.state == "active" && view?.snapshot?.stackID == stack
      }
      try await Task.sleep(for: .seconds(2))
      try await deleteStack(stacks, name: stackName, id: stack, waiter: stackWaiter)
      return Made(
        project: project, server: server, volume: volume, stack: stack, stackName: stackName, stackServer: stackServer)
    } catch {
      if let serverID { try? await servers.delete(serverID) }
      if let volumeID { try? await storage.volumes.deleteIfPresent(volumeID) }
      if let stackID { try? await deleteStack(stacks, name: stackName, id: stackID, waiter: stackWaiter) }
      throw error
    }
  }

  /// Deletes the stack and waits until Heat has; a deletion that fails (a port Neutron still holds under load)
  /// is tried once more, as an operator would.
  static func deleteStack(_ stacks: StacksAPI, name: String, id: String, waiter: Waiter) async throws {
    for attempt in 1...2 {
      try await stacks.delete(name: name, id: id)
      let state = try await waiter.wait(
        for: "stack \(name) deletion", done: ["DELETE_COMPLETE", "gone", "DELETE_FAILED"]
      ) {
        do { return try await stacks.get(name: name, id: id).stackStatus ?? "" } catch let e as OpenStackError
          where e.status == 404
        { return "gone" }
      }
      if state != "DELETE_FAILED" { return }
      if attempt == 2 { throw MeteringTestSupport.Failed("stack \(name) DELETE_FAILED twice") }
    }
  }
}
