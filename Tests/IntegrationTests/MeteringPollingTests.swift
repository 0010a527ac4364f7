import Foundation
import Metering
import OpenStack
import Storage
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `steward metering run` with no broker at all: only the periodic resync, as a cloud without notifications
/// (or an operator who does not give Steward RabbitMQ) runs it. The real executable against the real cloud:
/// a volume created and deleted in a fresh project appears in the view and the ledger, and its interval
/// closes, from the API listings alone; SIGTERM stops the process with exit 0.
@Suite("Metering by polling alone (no broker)", .testCloud)
struct MeteringPollingTests {
  @Test func resyncAloneFollowsAVolumeAndSIGTERMStopsIt() async throws {
    let path = MeteringTestSupport.temporaryDatabase("polling")
    defer { MeteringTestSupport.removeDatabase(path) }
    let process = try StewardProcess(
      ["--os-cloud", "steward-admin", "metering", "run", "--database", path, "--resync-interval", "2"],
      environment: ["OS_CLIENT_CONFIG_FILE": TestCloud.cloudsFile, "STEWARD_TRANSPORT_URL": ""])
    defer { if process.isRunning { process.send(SIGKILL) } }

    try await MeteringTestSupport.withProject("polling") { projectID, session in
      let storage = try await session.blockStorage()
      let volume = try await storage.volumes.create(VolumeCreate(name: TestCloud.name("pollvol"), size: 1))
      do {
        try await storage.waitFor(volume: volume.id, status: ["available"], waiter: MeteringFollowTests.waiter)
        let key = ResourceKey(.volume, volume.id)
        let database = try await DatabaseOpener.open(path)
        let store = try await SQLMeteringStore.open(database)
        defer { Task { await database.close() } }
        let seen = try await MeteringTestSupport.eventually(.seconds(120), every: .milliseconds(500)) {
          let rows = try await store.read { try await $0.history(of: key).rows }
          return rows.last?.state == "available" && rows.last?.projectID == projectID && rows.last?.end == nil
        }
        #expect(seen, "the resync found the volume: \(process.tail)")

        try await storage.volumes.delete(volume.id)
        try await BlockStorageTests.waitUntilGone { try await storage.volumes.find(volume.id) != nil }
        let closed = try await MeteringTestSupport.eventually(.seconds(120), every: .milliseconds(500)) {
          let (rows, view) = try await store.read { r in (try await r.history(of: key).rows, try await r.viewEntry(key))
          }
          return view?.deletedAt != nil && !rows.isEmpty && rows.allSatisfy { $0.end != nil }
        }
        #expect(closed, "the resync closed the deleted volume's interval: \(process.tail)")
      } catch {
        try? await storage.volumes.deleteIfPresent(volume.id)
        throw error
      }
    }
    #expect(process.isRunning, "still polling: \(process.tail)")
    #expect(!process.log.contains("AMQP"), "no broker was configured: \(process.tail)")
    process.send(SIGTERM)
    let exit = await process.wait(timeout: .seconds(60))
    #expect(exit == StewardProcess.Exit(status: 0, bySignal: false), "\(process.tail)")
  }
}
