import AMQP
import Foundation
import Metering
import OpenStack
import Storage
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// RabbitMQ stopped and started under a running `steward metering run` (rabbitmqctl stop_app/start_app on
/// the harness's broker), with changes made meanwhile. Keystone, unable to connect, drops its notification
/// of a project created during the outage outright. What a restart loses besides: the services declare
/// their exchanges non-durable, so the restarted broker has none of them and none of Steward's bindings;
/// the services re-create the exchanges when they publish again (the calls they held back during the
/// outage first), and until Steward reconnects and binds again those notifications reach only the
/// services' own `notifications.info` queue. Steward's reconnect is held back with SIGSTOP until the services
/// have published, so the loss is certain rather than a race; then the consumer must reconnect by itself,
/// follow new changes again, and `steward metering sync` must repair what was lost.
///
/// Disruptive: every other test using the broker would fail meanwhile, so this runs alone (scripts/test's
/// second phase, STEWARD_DISRUPTIVE_TESTS=1).
@Suite("Metering across a RabbitMQ outage", .testCloud, .disruptive, .serialized)
struct MeteringBrokerOutageDisruptiveTests {
  static let waiter = Waiter(timeout: .seconds(300), interval: .milliseconds(500))

  /// Nova's own RPC is unreliable for a while after a broker restart (reply queues re-created; seen: a stop
  /// whose conductor call timed out after 60 s, task state reverted, server still ACTIVE): try again until
  /// the server is stopped.
  static func stop(_ id: String, _ servers: ServersAPI) async throws {
    for _ in 0..<4 {
      try? await servers.perform(.stop, on: id)
      let deadline = ContinuousClock.now + .seconds(120)
      while ContinuousClock.now < deadline {
        let s = try await servers.get(id)
        if s.status == "SHUTOFF" { return }
        if s.taskState == nil && s.status == "ACTIVE" && ContinuousClock.now > deadline - .seconds(100) { break }
        try await Task.sleep(for: .seconds(1))
      }
    }
    Issue.record("server \(id) did not stop after the broker restart")
  }

  /// Creates a server until one becomes ACTIVE (one that ends in ERROR after the restart is deleted).
  static func createServer(
    _ servers: ServersAPI, flavor: String, image: String, created: (String) -> Void
  ) async throws -> String {
    for attempt in 0..<3 {
      let id = try await servers.create(
        ServerCreate(name: TestCloud.name("outage-b\(attempt)"), flavorRef: flavor, imageRef: image, networks: .none))
      created(id)
      let status = try await waiter.wait(for: "server \(id)", done: ["ACTIVE", "ERROR"]) {
        try await servers.get(id).status
      }
      if status == "ACTIVE" { return id }
      try? await servers.delete(id)
      try? await servers.waitForDeletion(id, waiter: waiter)
    }
    throw MeteringTestSupport.Failed("no server became ACTIVE after the broker restart")
  }

  @Test func consumerReconnectsAndTheResyncRepairsWhatTheRestartLost() async throws {
    try #require(TestBroker.rabbitmqctl != nil, "needs the harness's RabbitMQ (rabbitmqctl)")
    let queue = TestCloud.name("metering-outage")
    let path = MeteringTestSupport.temporaryDatabase("outage")
    defer { MeteringTestSupport.removeDatabase(path) }
    let cloudEnvironment = ["OS_CLIENT_CONFIG_FILE": TestCloud.cloudsFile]
    let process = try StewardProcess([
      "metering", "run", "--transport-url", TestBroker.url, "--queue", queue, "--database", path,
      "--resync-interval", "0", "--batch", "16",
    ])
    defer {
      if process.isRunning {
        process.send(SIGCONT)
        process.send(SIGKILL)
      }
    }
    defer { Task { await MeteringTestSupport.deleteQueues([queue]) } }
    let bound = try await MeteringTestSupport.eventually(.seconds(60)) {
      ((try? await MeteringTestSupport.queueInfo(queue))?.consumerCount ?? 0) > 0
    }
    try #require(bound, "steward metering run consumes its queue: \(process.tail)")
    let database = try await DatabaseOpener.open(path)
    let store = try await SQLMeteringStore.open(database)

    try await MeteringTestSupport.withFlavorAndImage("outage") { flavor, image in
      try await MeteringTestSupport.withProject("metering-outage") { projectID, session in
        let servers = try await session.compute().servers
        let a = try await servers.create(
          ServerCreate(name: TestCloud.name("outage-a"), flavorRef: flavor, imageRef: image, networks: .none))
        var b: String?
        var createdProject: String?
        var createdNetwork: String?
        func cleanUpOutageResources() async {
          if let createdNetwork { try? await session.network().networks.delete(createdNetwork) }
          if let createdProject {
            try? await TestCloud.with("steward-admin") { try await $0.identity().projects.delete(createdProject) }
          }
        }
        do {
          try await servers.waitFor(a, status: ["ACTIVE"], waiter: Self.waiter)
          let serverA = ResourceKey(.server, a)
          let followed = try await MeteringTestSupport.eventually(.seconds(90)) {
            try await store.read { try await $0.history(of: serverA).rows }.last?.state == "active"
          }
          try #require(followed, "server A followed before the outage: \(process.tail)")

          // The outage. Changes meanwhile: Keystone creates a project and drops its notification (it cannot
          // connect; logged "Could not send notification"), Neutron creates a network. Clients wait long:
          // oslo.messaging may hold a request until the broker is back.
          var slow = try TestCloud.config("steward-admin")
          slow.apiTimeout = 600
          var slowInProject = slow
          slowInProject.auth.projectID = projectID
          slowInProject.auth.projectName = nil
          slowInProject.auth.projectDomainName = nil
          let (admin, member) = (slow, slowInProject)
          let projectName = TestCloud.name("outage-project")
          let networkName = TestCloud.name("outage-net")
          // Nothing between stop_app and start_app may throw: the broker must come back whatever happens.
          try await TestBroker.ctlInBackground(["stop_app"])
          let newProject = Task {
            try await Session.with(admin) {
              try await $0.identity().projects.create(ProjectCreate(name: projectName, domainID: "default")).id
            }
          }
          let newNetwork = Task {
            try await Session.with(member) {
              try await $0.network().networks.create(NetworkCreate(name: networkName)).id
            }
          }
          try? await Task.sleep(for: .seconds(5))
          // Steward stays away until the services have published again (in production its backoff alone
          // can be 30 s); the broker comes back.
          process.send(SIGSTOP)
          do {
            try await TestBroker.ctlInBackground(["start_app"])
          } catch {
            try? await TestBroker.ctlInBackground(["start_app"])
            throw error
          }
          let p2 = try await newProject.value
          createdProject = p2
          let n = try await newNetwork.value
          createdNetwork = n
          // Nova casts to nova-compute's own queue, which the restart deleted (non-durable) until nova-compute
          // reconnects: a stop sent before that is lost by Nova itself (seen: task_state powering-off forever).
          let computeBack = try await MeteringTestSupport.eventually(.seconds(180), every: .seconds(1)) {
            ((try? await MeteringTestSupport.queueInfo("compute.steward-testcloud"))?.consumerCount ?? 0) > 0
          }
          try #require(computeBack, "nova-compute reconnected to the broker")
          // Changes after the broker is back, Steward still away: A stopped, B created.
          try await Self.stop(a, servers)
          b = try await Self.createServer(servers, flavor: flavor, image: image, created: { b = $0 })
          let serverB = ResourceKey(.server, b!)
          let projectKey = ResourceKey(.project, p2)
          let networkKey = ResourceKey(.network, n)
          try await Task.sleep(for: .seconds(5))
          process.send(SIGCONT)

          // The consumer reconnects by itself and binds its queue again.
          let reconnected = try await MeteringTestSupport.eventually(.seconds(120)) {
            ((try? await MeteringTestSupport.queueInfo(queue))?.consumerCount ?? 0) > 0
          }
          #expect(reconnected, "the consumer reconnected after the broker restart: \(process.tail)")
          try await Task.sleep(for: .seconds(3))
          let (rowsA, viewB, viewProject, viewNetwork) = try await store.read { r in
            (
              try await r.history(of: serverA).rows, try await r.viewEntry(serverB), try await r.viewEntry(projectKey),
              try await r.viewEntry(networkKey)
            )
          }
          let lost = [
            ("A's stop", rowsA.last?.state == "active"), ("B's create", viewB == nil),
            ("the project's create", viewProject == nil), ("the network's create", viewNetwork == nil),
          ]
          #expect(viewProject == nil, "Keystone dropped the notification of a project created during the outage")
          #expect(lost.filter(\.1).count >= 3, "the restart lost notifications: \(lost)")

          // The resync repairs it.
          let (syncExit, syncOutput) = try await StewardProcess.run(
            ["metering", "sync", "--os-cloud", "steward-admin", "--database", path, "-f", "json"],
            environment: cloudEnvironment, timeout: .seconds(180))
          #expect(syncExit == StewardProcess.Exit(status: 0, bySignal: false), "\(syncOutput)")
          let (repairedA, repairedB) = try await store.read { r in
            (try await r.history(of: serverA).rows, try await r.history(of: serverB).rows)
          }
          #expect(repairedA.last?.state == "stopped" && repairedA.last?.end == nil, "A is stopped after the resync")
          #expect(repairedB.last?.state == "active" && repairedB.last?.end == nil, "B is running after the resync")
          let (repairedProject, repairedNetwork) = try await store.read { r in
            (try await r.viewEntry(projectKey), try await r.viewEntry(networkKey))
          }
          #expect(repairedProject?.isLive == true && repairedProject?.snapshot?.name == projectName)
          #expect(repairedNetwork?.isLive == true && repairedNetwork?.snapshot?.projectID == projectID)
          let (statusExit, statusOutput) = try await StewardProcess.run([
            "metering", "status", "--database", path, "-f", "json",
          ])
          #expect(statusExit == StewardProcess.Exit(status: 0, bySignal: false))
          let status = try JSONSerialization.jsonObject(with: Data(statusOutput.utf8)) as? [String: Any]
          let drift = status?["Drift Total"] as? Int ?? 0
          #expect(drift >= lost.filter(\.1).count, "\(statusOutput)")

          // After the reconnect, notifications are followed again: B's deletion without a resync.
          try await servers.delete(b!)
          try await servers.waitForDeletion(b!, waiter: Self.waiter)
          let deleted = try await MeteringTestSupport.eventually(.seconds(90)) {
            try await store.read { try await $0.viewEntry(serverB) }?.deletedAt != nil
          }
          #expect(deleted, "the reconnected consumer follows B's deletion: \(process.tail)")
          b = nil
          print("metering outage test: lost \(lost.filter(\.1).map(\.0)), drift repaired \(drift)")
        } catch {
          if let b { try? await servers.delete(b) }
          try? await servers.delete(a)
          await cleanUpOutageResources()
          throw error
        }
        await cleanUpOutageResources()
        try await servers.delete(a)
        try await servers.waitForDeletion(a, waiter: Self.waiter)
      }
    }
    process.send(SIGTERM)
    #expect(
      await process.wait(timeout: .seconds(60)) == StewardProcess.Exit(status: 0, bySignal: false), "\(process.tail)")
    await MeteringTestSupport.deleteQueues([queue])
    await database.close()
  }
}
