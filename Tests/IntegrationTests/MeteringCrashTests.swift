import AMQP
import Foundation
import Metering
import OpenStack
import Storage
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The real `steward metering run` executable against the test cloud's RabbitMQ: killed with SIGKILL in the
/// middle of a burst (no graceful anything: whatever transaction was open is lost, whatever was committed
/// but not acked comes back), restarted, and its ledger compared with a clean replay of the same stream.
/// The burst is real: the recorded test-cloud notifications published again with fresh ids on a test
/// exchange, plus the live events of servers the test drives in a fresh project meanwhile. The resync is
/// off, so the ledger comes from notifications alone, and its instance-hours for that project are held
/// against Nova's os-simple-tenant-usage.
@Suite("Metering consumer process: SIGKILL, SIGTERM", .testCloud, .serialized)
struct MeteringCrashTests {
  static let waiter = Waiter(timeout: .seconds(240), interval: .milliseconds(500))

  static func runArguments(database: String, queue: String, exchanges: [String], batch: Int = 64) -> [String] {
    [
      "metering", "run", "--transport-url", TestBroker.url, "--queue", queue, "--database", database,
      "--resync-interval", "0", "--batch", String(batch), "--prefetch", "256", "--debug",
    ]
      + exchanges.flatMap { ["--exchange", $0] }
  }

  @Test func sigkillMidBurstLosesNothingAndCountsNothingTwice() async throws {
    let burstExchange = TestCloud.name("burst")
    let queue = TestCloud.name("metering-crash")
    let witness = TestCloud.name("metering-witness")
    let exchanges = ["nova", burstExchange]
    let path = MeteringTestSupport.temporaryDatabase("crash")
    defer { MeteringTestSupport.removeDatabase(path) }
    try #require(RecordedBurst.lines.count > 50, "the recorded stream fixture is readable")
    let burst = RecordedBurst.copies(150)
    let burstIDs = MeteringTestSupport.messageIDs(of: burst)
    try #require(burstIDs.count == burst.count)

    try await MeteringTestSupport.declareExchange(burstExchange)
    // The witness is bound first and deleted last: it sees at least what Steward's queue sees.
    try await MeteringTestSupport.declareWitness(witness, exchanges: exchanges)
    defer { Task { await MeteringTestSupport.deleteQueues([queue, witness], exchanges: [burstExchange]) } }

    let arguments = Self.runArguments(database: path, queue: queue, exchanges: exchanges)
    var process = try StewardProcess(arguments)
    var logs: [String] = []
    defer { if process.isRunning { process.send(SIGKILL) } }
    let bound = try await MeteringTestSupport.eventually(.seconds(60)) {
      ((try? await MeteringTestSupport.queueInfo(queue))?.consumerCount ?? 0) > 0
    }
    try #require(bound, "steward metering run consumes its queue: \(process.tail)")
    let database = try await DatabaseOpener.open(path)
    let store = try await SQLMeteringStore.open(database)

    try await MeteringTestSupport.withFlavorAndImage("crash") { flavor, image in
      try await MeteringTestSupport.withProject("metering-crash") { projectID, session in
        let servers = try await session.compute().servers
        let windowStart = Date()
        // Live cloud events while the burst is consumed: server A created and stopped, B created and deleted.
        let drive = Task {
          let a = try await servers.create(
            ServerCreate(name: TestCloud.name("crash-a"), flavorRef: flavor, imageRef: image, networks: .none))
          let b = try await servers.create(
            ServerCreate(name: TestCloud.name("crash-b"), flavorRef: flavor, imageRef: image, networks: .none))
          try await servers.waitFor(a, status: ["ACTIVE"], waiter: Self.waiter)
          try await servers.waitFor(b, status: ["ACTIVE"], waiter: Self.waiter)
          try await servers.perform(.stop, on: a)
          try await servers.delete(b)
          try await servers.waitFor(a, status: ["SHUTOFF"], waiter: Self.waiter)
          try await servers.waitForDeletion(b, waiter: Self.waiter)
          return (a, b)
        }
        // The consumer is frozen while the burst is published (publishing with confirms is slower than
        // applying), so the whole burst waits in its queue and both kills land in the middle of it.
        process.send(SIGSTOP)
        do {
          try await MeteringTestSupport.publish(burst, to: burstExchange)
        } catch {
          process.send(SIGCONT)
          throw error
        }
        process.send(SIGCONT)

        // Two kills at different depths of the burst, then a run to the end.
        for fraction in [0.2, 0.55] {
          let threshold = Int(Double(burst.count) * fraction)
          let reached = try await MeteringTestSupport.eventually(.seconds(120), every: .milliseconds(20)) {
            try await store.read { try await $0.stats() }.messagesApplied >= threshold
          }
          try #require(reached, "the consumer applies the burst: \(process.tail)")
          let exit = await process.kill9AndWait()
          #expect(exit == StewardProcess.Exit(status: SIGKILL, bySignal: true))
          let missing = try await MeteringTestSupport.missing(burstIDs, in: store)
          #expect(!missing.isEmpty, "the kill landed in the middle of the burst (\(missing.count) not applied yet)")
          logs.append(process.log)
          try? FileManager.default.removeItem(atPath: process.logPath)
          process = try StewardProcess(arguments)
        }

        let (a, b) = try await drive.value
        let serverA = ResourceKey(.server, a)
        let serverB = ResourceKey(.server, b)
        let followed = try await MeteringTestSupport.eventually(.seconds(180), every: .seconds(1)) {
          let missing = try await MeteringTestSupport.missing(burstIDs, in: store)
          let (rowsA, viewB) = try await store.read { r in
            (try await r.history(of: serverA).rows, try await r.viewEntry(serverB))
          }
          return missing.isEmpty && rowsA.last?.state == "stopped" && viewB?.deletedAt != nil
        }
        #expect(followed, "the restarted consumer caught up with the burst and the servers: \(process.tail)")
        let windowEnd = Date()

        // Instance-hours of the project over the window, from notifications alone, against Nova's.
        let nova = try await TestCloud.with("steward-admin") { admin in
          try await admin.compute().usage.project(projectID, start: windowStart, end: windowEnd)
        }
        let ours = try await store.usage(projectID: projectID, from: windowStart, to: windowEnd, now: windowEnd)
        #expect(nova.totalHours > 0)
        #expect(
          abs(ours.totals.instanceHours - nova.totalHours) <= nova.totalHours * 0.01,
          "ledger \(ours.totals.instanceHours) h \(ours.resources.map { "\($0.key.id): \($0.hours)" }), Nova \(nova.totalHours) h \(nova.serverUsages.map { "\($0.instanceID): \($0.hours)" })"
        )

        // Graceful stop of the last process; then the clean replay of everything the witness saw.
        process.send(SIGTERM)
        let exit = await process.wait(timeout: .seconds(60))
        #expect(
          exit == StewardProcess.Exit(status: 0, bySignal: false), "SIGTERM ends the run cleanly: \(process.tail)")
        logs.append(process.log)

        // The same figure through the CLI, as CSV (whole-second window, hours rounded to 0.001).
        let (usageExit, csv) = try await StewardProcess.run([
          "metering", "usage", "--database", path, "--project", projectID, "--from", windowStart.ISO8601Format(),
          "--to", windowEnd.ISO8601Format(), "-f", "csv",
        ])
        #expect(usageExit == StewardProcess.Exit(status: 0, bySignal: false), "\(csv)")
        let table = csv.split(whereSeparator: \.isNewline).map {
          $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let hoursColumn = table.first?.firstIndex(of: "Hours")
        let total = table.first { $0.contains("instance-hours") }
        let cliHours = hoursColumn.flatMap { i in total.flatMap { i < $0.count ? Double($0[i]) : nil } }
        #expect(
          cliHours.map { abs($0 - nova.totalHours) <= 0.001 + nova.totalHours * 0.01 } == true,
          "metering usage -f csv: \(csv)")

        let stream = try await MeteringTestSupport.drain(witness)
        let clean = try await MeteringTestSupport.cleanReplay(stream)
        let keys = MeteringTestSupport.keys(of: burst).union([serverA, serverB])
        let got = try await MeteringTestSupport.facts(store, keys)
        let want = try await MeteringTestSupport.facts(clean, keys)
        #expect(got == want, "\(MeteringTestSupport.describeDifferences(got, want))")
        let serverIDs = stream.compactMap { try? OpenStackNotification.parse($0) }
          .filter { n in n.observations.contains { $0.key == serverA || $0.key == serverB } }.map(\.messageID)
        #expect(!serverIDs.isEmpty)
        let lost = try await MeteringTestSupport.missing(burstIDs + serverIDs, in: store)
        #expect(lost.isEmpty, "every message applied: \(lost.count) missing")
        let rows = try await store.read { r in try await r.allIntervals() }.filter { keys.contains($0.key) }
        let effective = got.values.reduce(0) { $0 + $1.filter { !$0.hasPrefix("view") }.count }
        #expect(rows.count >= effective)
        // How often the restarts met messages they had already committed (redelivered, skipped by id).
        let duplicates = logs.joined().split(separator: "\n").compactMap { line -> Int? in
          guard let r = line.firstMatch(of: #/ (\d+) duplicates/#) else { return nil }
          return Int(r.output.1)
        }.reduce(0, +)
        print("metering crash test: \(burst.count) burst messages, \(duplicates) redelivered duplicates skipped")

        try await servers.delete(a)
        try await servers.waitForDeletion(a, waiter: Self.waiter)
      }
    }
    await MeteringTestSupport.deleteQueues([queue, witness], exchanges: [burstExchange])
    await database.close()
  }

  /// SIGTERM in the middle of a burst: the process stops consuming, commits and acks what it received,
  /// closes the connection and exits 0. Exactly the messages it did not apply are left in the queue (none
  /// acked without being committed, none committed without being acked), `metering status` reports them
  /// as queue lag, and a restart applies them.
  @Test func sigtermMidBurstStopsCleanlyAndLeavesTheRestQueued() async throws {
    let exchange = TestCloud.name("burst")
    let queue = TestCloud.name("metering-term")
    let path = MeteringTestSupport.temporaryDatabase("term")
    defer { MeteringTestSupport.removeDatabase(path) }
    // Small batches (more transactions) and an early signal, so the stop lands in the middle on any machine.
    let burst = RecordedBurst.copies(150)
    try await MeteringTestSupport.declareExchange(exchange)
    defer { Task { await MeteringTestSupport.deleteQueues([queue], exchanges: [exchange]) } }

    // The burst waits in the queue (declared as Steward declares it) before the process starts, so the
    // process consumes a backlog at full speed rather than at the publisher's pace.
    try await TestBroker.with { c in
      let ch = try await c.openChannel()
      try await ch.queueDeclare(queue, durable: true)
      try await ch.queueBind(queue: queue, exchange: exchange, routingKey: "notifications.info")
    }
    try await MeteringTestSupport.publish(burst, to: exchange)
    #expect(try await MeteringTestSupport.queueInfo(queue).messageCount == UInt32(burst.count))

    let arguments = Self.runArguments(database: path, queue: queue, exchanges: [exchange], batch: 16)
    var process = try StewardProcess(arguments)
    defer { if process.isRunning { process.send(SIGKILL) } }
    let bound = try await MeteringTestSupport.eventually(.seconds(60)) {
      ((try? await MeteringTestSupport.queueInfo(queue))?.consumerCount ?? 0) > 0
    }
    try #require(bound, "steward metering run consumes its queue: \(process.tail)")
    let database = try await DatabaseOpener.open(path)
    let store = try await SQLMeteringStore.open(database)

    let reached = try await MeteringTestSupport.eventually(.seconds(120), every: .milliseconds(20)) {
      try await store.read { try await $0.stats() }.messagesApplied >= burst.count / 10
    }
    try #require(reached, "the consumer applies the burst: \(process.tail)")
    process.send(SIGTERM)
    let exit = await process.wait(timeout: .seconds(60))
    #expect(exit == StewardProcess.Exit(status: 0, bySignal: false), "graceful exit: \(process.tail)")
    let applied = try await store.read { try await $0.stats() }.messagesApplied
    #expect(applied < burst.count, "stopped in the middle (\(applied) of \(burst.count))")
    let left = try await MeteringTestSupport.queueInfo(queue)
    #expect(left.consumerCount == 0)
    #expect(
      applied + Int(left.messageCount) == burst.count,
      "applied \(applied) + queued \(left.messageCount) == published \(burst.count)")

    let (statusExit, statusOutput) = try await StewardProcess.run([
      "metering", "status", "--database", path, "--transport-url", TestBroker.url, "--queue", queue, "-f", "json",
    ])
    #expect(statusExit == StewardProcess.Exit(status: 0, bySignal: false), "\(statusOutput)")
    let status = try JSONSerialization.jsonObject(with: Data(statusOutput.utf8)) as? [String: Any]
    #expect((status?["Queue Messages"] as? Int) == Int(left.messageCount), "\(statusOutput)")
    #expect((status?["Queue Consumers"] as? Int) == 0, "\(statusOutput)")
    #expect((status?["Messages Applied"] as? Int) == applied, "\(statusOutput)")

    process = try StewardProcess(arguments)
    let done = try await MeteringTestSupport.eventually(.seconds(120), every: .milliseconds(100)) {
      try await store.read { try await $0.stats() }.messagesApplied == burst.count
    }
    #expect(done, "the restart applies the rest: \(process.tail)")
    // Signal handlers are in place once it consumes (a SIGTERM before would kill it outright).
    _ = try await MeteringTestSupport.eventually(.seconds(60)) {
      ((try? await MeteringTestSupport.queueInfo(queue))?.consumerCount ?? 0) > 0
    }
    process.send(SIGTERM)
    #expect(await process.wait(timeout: .seconds(60)) == StewardProcess.Exit(status: 0, bySignal: false))
    #expect(try await MeteringTestSupport.queueInfo(queue).messageCount == 0, "everything acked")
    let keys = MeteringTestSupport.keys(of: burst)
    let got = try await MeteringTestSupport.facts(store, keys)
    let want = try await MeteringTestSupport.facts(try await MeteringTestSupport.cleanReplay(burst), keys)
    #expect(got == want, "\(MeteringTestSupport.describeDifferences(got, want))")
    await MeteringTestSupport.deleteQueues([queue], exchanges: [exchange])
    await database.close()
  }
}
