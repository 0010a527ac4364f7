import AMQP
import Foundation
import Metering
import OpenStack
import Storage
import Testing

/// The metering consumer following the REAL cloud from its notifications alone (no resync): Steward's
/// own queue bound to the six service exchanges, a SQLite store, and a server and a volume driven through
/// their lives as the demo project. Every step must show in the view and the ledger within a bounded wait.
@Suite("Metering follows the real cloud from notifications", .testCloud)
struct MeteringFollowTests {
  /// Generous: on a loaded 2-core machine Nova's notifications trail the API by seconds.
  static let eventWait: Duration = .seconds(90)
  static let waiter = Waiter(timeout: .seconds(240), interval: .milliseconds(500))

  /// Polls the store until `done` holds for the resource's effective rows and view entry; the last rows
  /// seen are in the failure message.
  static func follow(
    _ store: some MeteringStore, _ key: ResourceKey, _ what: String,
    until done: @escaping @Sendable ([UsageInterval], ViewEntry?) -> Bool
  ) async throws -> [UsageInterval] {
    let deadline = ContinuousClock.now + eventWait
    var rows: [UsageInterval] = []
    while true {
      let (r, view) = try await store.read { reader in
        (try await reader.history(of: key).rows, try await reader.viewEntry(key))
      }
      rows = r
      if done(rows, view) { return rows }
      if ContinuousClock.now > deadline {
        Issue.record("\(what): ledger of \(key) did not follow within \(eventWait): \(describe(rows))")
        return rows
      }
      try await Task.sleep(for: .milliseconds(250))
    }
  }

  static func describe(_ rows: [UsageInterval]) -> String {
    rows.map {
      "[\($0.state) \($0.spec.flavor ?? "-") \($0.spec.diskGB.map(String.init) ?? "-")GB \($0.end == nil ? "open" : "closed")]"
    }
    .joined(separator: " ")
  }

  @Test func serverAndVolumeLivesFromNotificationsAlone() async throws {
    let queue = TestCloud.name("metering-follow")
    let path = NSTemporaryDirectory() + "steward-follow-\(UUID().uuidString.prefix(8)).sqlite"
    defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
    let database = try await DatabaseOpener.open(path)
    let store = try await SQLMeteringStore.open(database)

    let run = try await MeteringTestSupport.followNotifications(queue: queue, into: store)
    defer { run.cancel() }

    let tinyID = UUID().uuidString.lowercased()
    let smallID = UUID().uuidString.lowercased()
    let tinyName = TestCloud.name("followtiny")
    let smallName = TestCloud.name("followsmall")
    let image = try await TestCloud.with("steward-admin") { session in
      let flavors = try await session.compute().flavors
      _ = try await flavors.create(
        FlavorCreate(name: tinyName, id: tinyID, vcpus: 1, ram: 128, disk: 1, isPublic: true))
      _ = try await flavors.create(
        FlavorCreate(name: smallName, id: smallID, vcpus: 2, ram: 192, disk: 1, isPublic: true))
      let images = try await session.image().images
      let image = try await images.create(ImageCreate(name: TestCloud.name("followimage"), visibility: "public"))
      try await images.upload(image.id, bytes: Data(repeating: 7, count: 4096))
      try await images.waitFor(image.id)
      return image.id
    }

    do {
      try await TestCloud.with("steward-demo") { session in
        let project = try #require(try await session.currentToken().project?.id)
        try await Self.server(
          session, store: store, project: project, tiny: (tinyID, tinyName), small: (smallID, smallName), image: image)
        try await Self.volume(session, store: store, project: project)
      }
    } catch {
      try? await Self.cleanUp(flavors: [tinyID, smallID], image: image)
      throw error
    }
    try await Self.cleanUp(flavors: [tinyID, smallID], image: image)

    let stats = try await store.read { try await $0.stats() }
    #expect(stats.deadLetters == 0, "every real notification parses")
    run.cancel()
    _ = try? await run.value
    try await TestBroker.with { c in
      let ch = try await c.openChannel()
      _ = try await ch.queueDelete(queue)
    }
    await database.close()
  }

  static func cleanUp(flavors: [String], image: String) async throws {
    try await TestCloud.with("steward-admin") { session in
      for f in flavors { try? await session.compute().flavors.delete(f) }
      try? await session.image().images.delete(image)
    }
  }

  /// Create, stop, resize (and confirm) while stopped, delete.
  static func server(
    _ session: Session, store: SQLMeteringStore, project: String, tiny: (id: String, name: String),
    small: (id: String, name: String), image: String
  ) async throws {
    let servers = try await session.compute().servers
    let id = try await servers.create(
      ServerCreate(name: TestCloud.name("followed"), flavorRef: tiny.id, imageRef: image, networks: .none))
    do {
      let key = ResourceKey(.server, id)
      try await servers.waitFor(id, status: ["ACTIVE"], waiter: waiter)
      var rows = try await follow(store, key, "create") { rows, view in
        rows.last?.state == "active" && rows.last?.end == nil && view?.snapshot?.state == "active"
      }
      let active = try #require(rows.last)
      #expect(active.projectID == project)
      #expect(active.spec == ResourceSpec(flavor: tiny.name, vcpus: 1, memoryMB: 128, diskGB: 1))
      #expect(rows.dropLast().allSatisfy { $0.state == "building" && $0.end != nil }, "\(describe(rows))")

      try await servers.perform(.stop, on: id)
      try await servers.waitFor(id, status: ["SHUTOFF"], waiter: waiter)
      rows = try await follow(store, key, "stop") { rows, _ in rows.last?.state == "stopped" }
      let stopped = try #require(rows.last)
      let activeRow = try #require(rows.first { $0.id == active.id })
      #expect(activeRow.end == stopped.start, "the active interval closes where the stopped one opens")
      #expect(stopped.spec.flavor == tiny.name && stopped.end == nil)

      try await servers.perform(.resize(flavorRef: small.id), on: id)
      // Done when no task is left (the API sets resize_prep before answering; NoValidHost clears it).
      let afterResize = try await waiter.wait(
        for: "resize of server \(id)", done: ["VERIFY_RESIZE", "SHUTOFF", "ACTIVE"], failed: ["ERROR"]
      ) {
        let s = try await servers.get(id)
        return s.taskState == nil ? s.status : "RESIZE"
      }
      let resized = try await servers.get(id)
      if afterResize == "VERIFY_RESIZE" {
        rows = try await follow(store, key, "resize") { rows, _ in
          rows.last?.spec.flavor == small.name && rows.last?.state == "resized"
        }
        #expect(rows.last?.spec == ResourceSpec(flavor: small.name, vcpus: 2, memoryMB: 192, diskGB: 1))
        try await servers.perform(.confirmResize, on: id)
        try await servers.waitFor(id, status: ["SHUTOFF"], waiter: waiter)
        rows = try await follow(store, key, "resize confirm") { rows, _ in
          rows.last?.spec.flavor == small.name && rows.last?.state == "stopped"
        }
        let tinyRows = rows.filter { $0.spec.flavor == tiny.name }
        #expect(tinyRows.allSatisfy { $0.end != nil }, "the old flavor's intervals are closed: \(describe(rows))")
      } else {
        // A cloud without allow_resize_to_same_host answers with NoValidHost and keeps the old flavor; the
        // harness sets it, so this only happens on a cloud started before it did.
        #expect(
          ProcessInfo.processInfo.environment["CI"] != "true",
          "resize must work on the harness's cloud (status \(afterResize), fault \(resized.fault?.message ?? "-"))")
        rows = try await follow(store, key, "failed resize") { rows, _ in rows.last?.state == "stopped" }
        #expect(rows.last?.spec.flavor == tiny.name)
      }

      try await servers.delete(id)
      try await servers.waitForDeletion(id, waiter: waiter)
      rows = try await follow(store, key, "delete") { rows, view in
        view?.deletedAt != nil && rows.allSatisfy { $0.end != nil }
      }
      #expect(!rows.isEmpty)
      for (a, b) in zip(rows, rows.dropFirst()) {
        #expect(a.end == b.start, "no gap and no overlap: \(describe(rows))")
      }
    } catch {
      try? await servers.delete(id)
      throw error
    }
  }

  /// Create, extend, delete.
  static func volume(_ session: Session, store: SQLMeteringStore, project: String) async throws {
    let storage = try await session.blockStorage()
    let volume = try await storage.volumes.create(VolumeCreate(name: TestCloud.name("followvol"), size: 1))
    do {
      let key = ResourceKey(.volume, volume.id)
      try await storage.waitFor(volume: volume.id, status: ["available"], waiter: waiter)
      var rows = try await follow(store, key, "volume create") { rows, _ in
        rows.last?.state == "available" && rows.last?.spec.diskGB == 1
      }
      let created = try #require(rows.last)
      #expect(created.projectID == project && created.end == nil)

      try await storage.extend(volume: volume.id, to: 2)
      try await storage.waitFor(volume: volume.id, status: ["available"], waiter: waiter)
      rows = try await follow(store, key, "volume extend") { rows, _ in
        rows.last?.state == "available" && rows.last?.spec.diskGB == 2
      }
      let oneGB = rows.filter { $0.spec.diskGB == 1 && $0.state == "available" }
      #expect(oneGB.count == 1 && oneGB.first?.end != nil, "\(describe(rows))")
      #expect(rows.last?.spec.flavor == created.spec.flavor, "same volume type before and after")

      try await storage.volumes.delete(volume.id)
      try await BlockStorageTests.waitUntilGone { try await storage.volumes.find(volume.id) != nil }
      rows = try await follow(store, key, "volume delete") { rows, view in
        view?.deletedAt != nil && rows.allSatisfy { $0.end != nil }
      }
      for (a, b) in zip(rows, rows.dropFirst()) {
        #expect(a.end == b.start, "no gap and no overlap: \(describe(rows))")
      }
    } catch {
      try? await storage.volumes.deleteIfPresent(volume.id)
      throw error
    }
  }
}
