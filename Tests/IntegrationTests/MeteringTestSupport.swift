import AMQP
import Foundation
import Metering
import OpenStack
import Storage
import Testing

/// What the crash, shutdown and outage tests share: a SQLite ledger file another process writes, a witness
/// queue that sees the same stream as Steward's queue, and ledger comparisons.
enum MeteringTestSupport {
  /// Creates a stack; when the answer does not come in time, finds it by name instead. Under the full suite's
  /// load Heat's engine can take longer to validate a template (it asks Nova and Glance) than heat-api waits
  /// for it (rpc_response_timeout) or this client waits for heat-api, and the engine goes on creating the stack
  /// all the same; names are unique per project, so the name finds it.
  static func createStack(_ stacks: StacksAPI, name: String, _ create: () async throws -> String) async throws -> String
  {
    do {
      return try await create()
    } catch let error as OpenStackError where error.isTimeout || error.status == 500 {
      for _ in 0..<180 {
        for try await page in stacks.list() {
          if let stack = page.first(where: { $0.stackName == name }) { return stack.id }
        }
        try await Task.sleep(for: .seconds(1))
      }
      throw error
    }
  }

  struct Failed: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  static func temporaryDatabase(_ prefix: String) -> String {
    NSTemporaryDirectory() + "steward-\(prefix)-\(UUID().uuidString.prefix(8)).sqlite"
  }

  static func removeDatabase(_ path: String) {
    for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
  }

  /// A queue bound like Steward's, so it receives every message Steward's queue does from the moment it is
  /// bound; x-expires removes it should the test die before deleting it.
  static func declareWitness(_ queue: String, exchanges: [String]) async throws {
    try await TestBroker.with { c in
      let ch = try await c.openChannel()
      try await ch.queueDeclare(queue, durable: true, arguments: ["x-expires": .int32(1_800_000)])
      for e in exchanges {
        // oslo.messaging declares an exchange on its service's first notification: on a fresh cloud glance's
        // may not exist yet. Declared as the services do (topic, not durable), as Steward's consumer does.
        try await ch.exchangeDeclare(e, type: "topic", durable: false)
        try await ch.queueBind(queue: queue, exchange: e, routingKey: "notifications.info")
      }
    }
  }

  /// Every message in `queue` now, in queue order (acked, so the queue is empty afterwards).
  static func drain(_ queue: String) async throws -> [[UInt8]] {
    try await TestBroker.with { c in
      let ch = try await c.openChannel()
      let count = Int(try await ch.queueDeclare(queue, passive: true).messageCount)
      guard count > 0 else { return [] }
      try await ch.basicQos(prefetchCount: 1000)
      let deliveries = try await ch.basicConsume(queue: queue)
      var bodies: [[UInt8]] = []
      for try await d in deliveries {
        bodies.append(d.bodyBytes)
        if bodies.count % 500 == 0 || bodies.count == count { try await d.ack(multiple: true) }
        if bodies.count == count { break }
      }
      try? await ch.basicCancel(deliveries.consumerTag)
      return bodies
    }
  }

  static func queueInfo(_ queue: String) async throws -> AMQPChannel.QueueInfo {
    try await TestBroker.with { c in try await c.openChannel().queueDeclare(queue, passive: true) }
  }

  static func deleteQueues(_ queues: [String], exchanges: [String] = []) async {
    _ = try? await TestBroker.with { c in
      for q in queues {
        let ch = try await c.openChannel()
        _ = try? await ch.queueDelete(q)
      }
      for e in exchanges {
        let ch = try await c.openChannel()
        try? await ch.exchangeDelete(e)
      }
    }
  }

  static func publish(_ bodies: [[UInt8]], to exchange: String) async throws {
    try await TestBroker.with { c in
      let ch = try await c.openChannel()
      try await ch.exchangeDeclare(exchange, type: "topic", durable: false)
      try await ch.confirmSelect()
      for body in bodies { try await ch.basicPublish(body, exchange: exchange, routingKey: "notifications.info") }
    }
  }

  static func declareExchange(_ exchange: String) async throws {
    try await TestBroker.with { c in
      try await c.openChannel().exchangeDeclare(exchange, type: "topic", durable: false)
    }
  }

  /// The resources the messages describe.
  static func keys(of bodies: [[UInt8]]) -> Set<ResourceKey> {
    var keys: Set<ResourceKey> = []
    for body in bodies {
      guard let n = try? OpenStackNotification.parse(body) else { continue }
      for o in n.observations { keys.insert(o.key) }
    }
    return keys
  }

  static func messageIDs(of bodies: [[UInt8]]) -> [String] {
    bodies.compactMap { try? OpenStackNotification.parse($0).messageID }
  }

  /// Applies the bodies in order, in one pass, into a fresh in-memory store: the ledger the stream should give.
  static func cleanReplay(_ bodies: [[UInt8]]) async throws -> InMemoryMeteringStore {
    let store = InMemoryMeteringStore()
    let ingestor = NotificationIngestor(store: store)
    var i = 0
    while i < bodies.count {
      let end = min(i + 512, bodies.count)
      _ = try await ingestor.ingest(bodies[i..<end].map { .init(body: $0) })
      i = end
    }
    return store
  }

  /// Effective ledger rows and view state per resource, as comparable text (row ids and sources differ
  /// between stores; facts and times must not).
  static func facts(_ store: some MeteringStore, _ keys: Set<ResourceKey>) async throws -> [ResourceKey: [String]] {
    let sorted = keys.sorted()
    return try await store.read { r in
      var out: [ResourceKey: [String]] = [:]
      for key in sorted {
        var lines = try await r.history(of: key).rows.map { row in
          "\(row.projectID) \(row.state) \(row.spec) \(row.start.timeIntervalSince1970) \(row.end.map { "\($0.timeIntervalSince1970)" } ?? "open")"
        }
        if let view = try await r.viewEntry(key) {
          lines.append(
            "view \(view.snapshot.map { "\($0)" } ?? "none") deleted \(view.deletedAt.map { "\($0.timeIntervalSince1970)" } ?? "no")"
          )
        }
        out[key] = lines
      }
      return out
    }
  }

  /// Message ids of `ids` the store has not recorded.
  static func missing(_ ids: [String], in store: some MeteringStore) async throws -> [String] {
    try await store.read { r in
      var missing: [String] = []
      for id in ids where !(try await r.isRecorded(messageID: id)) { missing.append(id) }
      return missing
    }
  }

  static func describeDifferences(_ a: [ResourceKey: [String]], _ b: [ResourceKey: [String]]) -> String {
    let differing = Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }
    return "\(differing.count) resources differ; first: "
      + differing.prefix(3).map { "\($0): got \(a[$0] ?? []) want \(b[$0] ?? [])" }.joined(separator: " | ")
  }

  /// Metering's consumer on a queue of the test's own, bound to the services' notification exchanges and
  /// applying into `store`; returns once the queue is consumed, so the cloud can be driven. The services
  /// declare their exchanges topic, durable false (the default here). The test deletes the queue at the end;
  /// x-expires removes it should the test die before (it binds busy exchanges). Cancel the task to stop.
  static func followNotifications(
    queue: String, exchanges: [String] = AMQPTopology.notifications().exchanges.map(\.name),
    into store: SQLMeteringStore
  ) async throws -> Task<Void, Error> {
    let consumer = AMQPConsumer(
      configuration: try TestBroker.configuration(),
      topology: .notifications(
        queue: queue, exchanges: exchanges, queueArguments: ["x-expires": .int32(600_000)], prefetch: 64))
    let loop = NotificationConsumerLoop(
      ingestor: NotificationIngestor(store: store), maxBatch: 32, maxDelay: .milliseconds(50))
    let run = Task { try await MeteringConsumer(consumer: consumer, loop: loop).run() }
    for _ in 0..<400 where consumer.status.sessions == 0 { try await Task.sleep(for: .milliseconds(50)) }
    guard consumer.status.sessions > 0 else {
      run.cancel()
      throw Failed("the consumer was not bound to \(queue) within 20 s; the cloud is not driven unobserved")
    }
    return run
  }

  /// Polls until `done` or the timeout; returns whether `done` became true.
  static func eventually(
    _ timeout: Duration, every interval: Duration = .milliseconds(250), _ done: () async throws -> Bool
  ) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if try await done() { return true }
      try await Task.sleep(for: interval)
    }
    return try await done()
  }

  /// A fresh project with the admin user as member, and a session scoped to it: every server in it is one
  /// the test made, so per-project totals can be compared exactly.
  static func withProject<T: Sendable>(
    _ prefix: String, _ body: (_ projectID: String, _ session: Session) async throws -> T
  ) async throws -> T {
    let (projectID, userID) = try await TestCloud.with("steward-admin") { admin in
      let identity = try await admin.identity()
      let project = try await identity.projects.create(
        ProjectCreate(name: TestCloud.name(prefix), domainID: "default"))
      let member = try #require(try await identity.roles.find("member"))
      let user = try await admin.currentToken().user.id
      try await identity.roles.grant(role: member.id, user: user, on: .project(project.id))
      return (project.id, user)
    }
    _ = userID
    var config = try TestCloud.config("steward-admin")
    config.auth.projectID = projectID
    config.auth.projectName = nil
    config.auth.projectDomainName = nil
    config.auth.projectDomainID = nil
    do {
      let result = try await Session.with(config) { try await body(projectID, $0) }
      try? await TestCloud.with("steward-admin") { try await $0.identity().projects.delete(projectID) }
      return result
    } catch {
      try? await TestCloud.with("steward-admin") { try await $0.identity().projects.delete(projectID) }
      throw error
    }
  }

  /// A public 1-vCPU flavor and a tiny public raw image for servers on the fake driver; removed afterwards.
  static func withFlavorAndImage<T: Sendable>(
    _ prefix: String, _ body: (_ flavorID: String, _ imageID: String) async throws -> T
  ) async throws -> T {
    let flavorID = UUID().uuidString.lowercased()
    let image = try await TestCloud.with("steward-admin") { session in
      _ = try await session.compute().flavors.create(
        FlavorCreate(name: TestCloud.name("\(prefix)flavor"), id: flavorID, vcpus: 1, ram: 128, disk: 1, isPublic: true)
      )
      let images = try await session.image().images
      let image = try await images.create(ImageCreate(name: TestCloud.name("\(prefix)image"), visibility: "public"))
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
    do {
      let result = try await body(flavorID, image)
      await cleanUp()
      return result
    } catch {
      await cleanUp()
      throw error
    }
  }
}
