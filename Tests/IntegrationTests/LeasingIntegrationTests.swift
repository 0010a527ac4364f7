import Foundation
import Leasing
import Logging
import OpenStack
import ServiceLifecycle
import Storage
import Testing

/// The leasing service in-process against the real Keystone and Ironic (fake-hardware): the service runs with
/// `steward-system` credentials; demo owns the node, demo2 leases it, a third project created for the test
/// is the outsider.
@Suite("Leasing service against real Keystone and Ironic", .testCloud, .serialized)
struct LeasingIntegrationTests {
  static let fakeInterfaces = BaremetalTests.fakeInterfaces

  /// A server running in this process on a free port.
  final class RunningServer: Sendable {
    let port: Int
    let group: ServiceGroup
    let task: Task<Void, Error>
    let server: LeasingServer

    init(port: Int, group: ServiceGroup, task: Task<Void, Error>, server: LeasingServer) {
      self.port = port
      self.group = group
      self.task = task
      self.server = server
    }

    static func start(database: String, session: Session) async throws -> RunningServer {
      var logger = Logger(label: "leasing-it")
      logger.logLevel = .warning
      let (ports, continuation) = AsyncStream<Int>.makeStream()
      let server = try await LeasingServer.make(
        options: .init(database: database, port: 0, managerInterval: .seconds(1), tokenCacheTTL: 5),
        session: session, logger: logger, onServerRunning: { continuation.yield($0) })
      let group = ServiceGroup(services: [server.application], logger: logger)
      let task = Task { try await group.run() }
      var iterator = ports.makeAsyncIterator()
      guard let port = await iterator.next() else { throw CancellationError() }
      return RunningServer(port: port, group: group, task: task, server: server)
    }

    func stop() async throws {
      await group.triggerGracefulShutdown()
      try await task.value
      await server.database.close()
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }
  }

  /// A session for `cloud` whose `lease` service is the running server.
  static func withLeaseAPI<T: Sendable>(
    _ cloud: String, _ server: RunningServer, _ body: (LeaseAPI) async throws -> T
  ) async throws -> T {
    var config = try TestCloud.config(cloud)
    config.endpointOverrides["lease"] = server.endpoint
    return try await Session.with(config) { try await body(try await $0.lease()) }
  }

  static func withOutsider<T: Sendable>(_ body: (CloudConfig) async throws -> T) async throws -> T {
    let name = TestCloud.name("outsider")
    let password = "pw-\(UUID().uuidString)"
    let (projectID, userID) = try await TestCloud.with("steward-admin") { session in
      let identity = try await session.identity()
      let project = try await identity.projects.create(ProjectCreate(name: name, domainID: "default"))
      let user = try await identity.users.create(UserCreate(name: name, domainID: "default", password: password))
      let member = try #require(try await identity.roles.find("member"))
      try await identity.roles.grant(role: member.id, user: user.id, on: .project(project.id))
      return (project.id, user.id)
    }
    var auth = try TestCloud.config("steward-demo").auth
    auth.username = name
    auth.userID = nil
    auth.password = password
    auth.projectName = nil
    auth.projectID = projectID
    auth.userDomainID = "default"
    auth.userDomainName = nil
    let config = CloudConfig(
      name: name, authType: .password, auth: auth, regionName: try TestCloud.config("steward-demo").regionName)
    do {
      let result = try await body(config)
      try await cleanupOutsider(projectID, userID)
      return result
    } catch {
      try? await cleanupOutsider(projectID, userID)
      throw error
    }
  }

  static func cleanupOutsider(_ projectID: String, _ userID: String) async throws {
    try await TestCloud.with("steward-admin") { session in
      let identity = try await session.identity()
      try await identity.users.delete(userID)
      try await identity.projects.delete(projectID)
    }
  }

  /// An available fake-hardware node owned by `owner`.
  static func makeNode(owner: String) async throws -> String {
    try await TestCloud.with("steward-system") { session in
      let nodes = try await session.baremetal().nodes
      let node = try await nodes.create(
        NodeCreate(
          name: TestCloud.name("lease-node"), driver: "fake-hardware", resourceClass: "baremetal", owner: owner,
          properties: ["cpus": 8], interfaces: fakeInterfaces))
      let waiter = Waiter(timeout: .seconds(120), interval: .milliseconds(300))
      try await nodes.setProvisionState(node.id, "manage")
      try await nodes.waitForProvision(node.id, "manageable", waiter: waiter)
      try await nodes.setProvisionState(node.id, "provide")
      try await nodes.waitForProvision(node.id, "available", waiter: waiter)
      return node.id
    }
  }

  static func deleteNode(_ id: String) async throws {
    try await TestCloud.with("steward-system") { session in
      let nodes = try await session.baremetal().nodes
      _ = try? await nodes.setLessee(id, nil)
      try? await nodes.setPower(id, .off)
      try? await nodes.waitForPower(
        id, "power off", waiter: Waiter(timeout: .seconds(60), interval: .milliseconds(300)))
      try await nodes.setProvisionState(id, "manage")
      try await nodes.waitForProvision(
        id, "manageable", waiter: Waiter(timeout: .seconds(60), interval: .milliseconds(300)))
      try await nodes.delete(id)
    }
  }

  static func ironicNode(_ id: String) async throws -> Node {
    try await TestCloud.with("steward-system") { try await $0.baremetal().nodes.get(id) }
  }

  /// Polls until `condition` holds (the manager runs every second).
  static func eventually(
    _ what: String, timeout: Double = 60, _ condition: () async throws -> Bool
  ) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if try await condition() { return }
      try await Task.sleep(for: .milliseconds(500))
    }
    Issue.record("timed out waiting for \(what)")
    throw CancellationError()
  }

  static func databasePath() -> String {
    NSTemporaryDirectory() + "steward-leasing-it-\(UUID().uuidString.prefix(8)).sqlite"
  }

  static func status(_ error: Error) -> Int? { (error as? OpenStackError)?.status }

  @Test func offerClaimPowerConflictsAndExpiry() async throws {
    let demo = try await TestCloud.with("steward-demo") { try await $0.currentToken().project!.id }
    let demo2 = try await TestCloud.with("steward-demo2") { try await $0.currentToken().project!.id }
    let nodeID = try await Self.makeNode(owner: demo)
    let system = Session(config: try TestCloud.config("steward-system"))
    let server = try await RunningServer.start(database: Self.databasePath(), session: system)
    do {
      try await Self.withOutsider { outsider in
        var outsiderConfig = outsider
        outsiderConfig.endpointOverrides["lease"] = server.endpoint
        let now = Date()
        let iso = { (date: Date) in JSONValue.string(LeasingDate.format(date)) }
        // The owner offers its node; the outsider may not offer it.
        let offer = try await Self.withLeaseAPI("steward-demo", server) { api in
          try await api.createOffer([
            "resource_uuid": .string(nodeID), "start_time": iso(now.addingTimeInterval(-60)),
            "end_time": iso(now.addingTimeInterval(3600)),
          ])
        }
        #expect(offer.status == "available")
        let denied = await #expect(throws: OpenStackError.self) {
          try await Session.with(outsiderConfig) { session in
            try await session.lease().createOffer(["resource_uuid": .string(nodeID)])
          }
        }
        #expect(Self.status(denied!) == 403)
        // Bad input: 400 with a message, nothing created.
        let bad = await #expect(throws: OpenStackError.self) {
          try await Self.withLeaseAPI("steward-demo", server) { api in
            try await api.createOffer(["resource_uuid": .string(nodeID), "start_time": "yesterday"])
          }
        }
        #expect(Self.status(bad!) == 400)
        #expect(bad!.message.contains("start_time"))
        let unknown = await #expect(throws: OpenStackError.self) {
          try await Self.withLeaseAPI("steward-demo", server) { api in
            try await api.createOffer(["resource_uuid": .string(UUID().uuidString.lowercased())])
          }
        }
        #expect(Self.status(unknown!) == 400)

        // demo2 claims a minute (long enough for the checks below on a loaded machine); an overlap is refused.
        let lease = try await Self.withLeaseAPI("steward-demo2", server) { api in
          try await api.claim(offer.uuid, ["end_time": iso(Date().addingTimeInterval(60))])
        }
        #expect(lease.projectID == demo2)
        let overlap = await #expect(throws: OpenStackError.self) {
          try await Session.with(outsiderConfig) { session in
            try await session.lease().claim(offer.uuid, ["end_time": iso(Date().addingTimeInterval(10))])
          }
        }
        #expect(Self.status(overlap!) == 409)

        // Many claims for one later window at once: exactly one wins.
        let window: [String: JSONValue] = [
          "start_time": iso(now.addingTimeInterval(1800)), "end_time": iso(now.addingTimeInterval(2400)),
        ]
        let outcomes = try await withThrowingTaskGroup(of: Int.self) { group in
          for index in 0..<12 {
            let cloud = index % 2 == 0 ? "steward-demo2" : "steward-demo"
            group.addTask {
              do {
                _ = try await Self.withLeaseAPI(cloud, server) { try await $0.claim(offer.uuid, window) }
                return 201
              } catch let error as OpenStackError {
                return error.status ?? 0
              }
            }
          }
          return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == 201 }.count == 1)
        #expect(outcomes.filter { $0 == 409 }.count == 11)

        // The manager sets the lessee; demo2 can power the node, the outsider cannot see it.
        try await Self.eventually("lessee set") { try await Self.ironicNode(nodeID).lessee == demo2 }
        let active = try await Self.withLeaseAPI("steward-demo2", server) { try await $0.lease(lease.uuid) }
        #expect(active.status == "active")
        try await TestCloud.with("steward-demo2") { session in
          let nodes = try await session.baremetal().nodes
          try await nodes.setPower(nodeID, .on)
          try await nodes.waitForPower(
            nodeID, "power on", waiter: Waiter(timeout: .seconds(60), interval: .milliseconds(300)))
        }
        let hidden = try await Session.with(outsider) { session in try await session.baremetal().nodes.find(nodeID) }
        #expect(hidden == nil)
        let leaseDenied = await #expect(throws: OpenStackError.self) {
          try await Session.with(outsiderConfig) { try await $0.lease().lease(lease.uuid) }
        }
        #expect(Self.status(leaseDenied!) == 403)
        let outsiderLeases = try await Session.with(outsiderConfig) { try await $0.lease().leases() }
        #expect(outsiderLeases.isEmpty)
        let outsiderNodes = try await Session.with(outsiderConfig) { try await $0.lease().nodes() }
        #expect(!outsiderNodes.contains { $0.uuid == nodeID })
        let ownerNodes = try await Self.withLeaseAPI("steward-demo", server) { try await $0.nodes() }
        #expect(ownerNodes.first { $0.uuid == nodeID }?.leaseUUID == lease.uuid)
        // The lessee may not withdraw the owner's offer.
        let withdraw = await #expect(throws: OpenStackError.self) {
          try await Self.withLeaseAPI("steward-demo2", server) { try await $0.deleteOffer(offer.uuid) }
        }
        #expect(Self.status(withdraw!) == 403)

        // At the end the manager takes the node back.
        try await Self.eventually("lease expired", timeout: 90) {
          try await Self.withLeaseAPI("steward-demo2", server) { try await $0.lease(lease.uuid) }.status == "expired"
        }
        #expect(try await Self.ironicNode(nodeID).lessee == nil)
        let lost = try await TestCloud.with("steward-demo2") { try await $0.baremetal().nodes.find(nodeID) }
        #expect(lost == nil)
        try await Self.withLeaseAPI("steward-demo", server) { try await $0.deleteOffer(offer.uuid) }
      }
      try await server.stop()
      await system.shutdown()
      try await Self.deleteNode(nodeID)
    } catch {
      try? await server.stop()
      await system.shutdown()
      try? await Self.deleteNode(nodeID)
      throw error
    }
  }

  @Test func restartRecovery() async throws {
    let demo = try await TestCloud.with("steward-demo") { try await $0.currentToken().project!.id }
    let demo2 = try await TestCloud.with("steward-demo2") { try await $0.currentToken().project!.id }
    let nodeID = try await Self.makeNode(owner: demo)
    let database = Self.databasePath()
    let system = Session(config: try TestCloud.config("steward-system"))
    do {
      let first = try await RunningServer.start(database: database, session: system)
      let iso = { (date: Date) in JSONValue.string(LeasingDate.format(date)) }
      let offer = try await Self.withLeaseAPI("steward-demo", first) { api in
        try await api.createOffer(["resource_uuid": .string(nodeID), "end_time": iso(Date().addingTimeInterval(3600))])
      }
      let end = Date().addingTimeInterval(25)
      let lease = try await Self.withLeaseAPI("steward-demo2", first) { api in
        try await api.claim(offer.uuid, ["end_time": iso(end)])
      }
      try await Self.eventually("lessee set") { try await Self.ironicNode(nodeID).lessee == demo2 }
      // The service goes away; the lease ends while nobody watches.
      try await first.stop()
      try await Task.sleep(for: .seconds(max(0, end.timeIntervalSinceNow) + 2))
      #expect(try await Self.ironicNode(nodeID).lessee == demo2)
      // The next service run alone must bring Ironic in line with the database.
      let second = try await RunningServer.start(database: database, session: system)
      try await Self.eventually("lessee removed after restart") { try await Self.ironicNode(nodeID).lessee == nil }
      let ended = try await Self.withLeaseAPI("steward-demo2", second) { try await $0.lease(lease.uuid) }
      #expect(ended.status == "expired")
      try await second.stop()
      await system.shutdown()
      try await Self.deleteNode(nodeID)
    } catch {
      await system.shutdown()
      try? await Self.deleteNode(nodeID)
      throw error
    }
  }
}
