import Foundation
import OpenStack
import Testing

@Suite("Block storage client against the real Cinder (file-backed volumes, posix backups)", .testCloud)
struct BlockStorageTests {
  static let waiter = Waiter(timeout: .seconds(240), interval: .milliseconds(500))

  @Test func volumeTypesIncludeADefault() async throws {
    let names = try await TestCloud.with("steward-demo") { session in
      try await session.blockStorage().volumeTypes.list().collect().map(\.name)
    }
    #expect(names.contains("__DEFAULT__") || names.contains("standard"))
  }

  /// The life of a volume as a project member sees it: create, extend, back up, restore, delete.
  @Test func volumeExtendBackupRestoreDelete() async throws {
    let name = TestCloud.name("vol")
    let (sizes, restoredSize, leftovers) = try await TestCloud.with("steward-demo") { session in
      let storage = try await session.blockStorage()
      let volume = try await storage.volumes.create(VolumeCreate(name: name, size: 1))
      var backupID: String?
      var restoredID: String?
      do {
        try await storage.waitFor(volume: volume.id, status: ["available"], waiter: Self.waiter)
        try await storage.extend(volume: volume.id, to: 2)
        try await storage.waitFor(volume: volume.id, status: ["available"], waiter: Self.waiter)
        let extended = try await storage.volumes.get(volume.id)

        let backup = try await storage.backups.create(BackupCreate(volumeID: volume.id, name: name + "-backup"))
        backupID = backup.id
        try await storage.waitFor(backup: backup.id, status: ["available"], waiter: Self.waiter)
        let stored = try await storage.backups.get(backup.id)

        let restored = try await storage.restore(backup: backup.id, name: name + "-restored")
        restoredID = restored
        try await storage.waitFor(volume: restored, status: ["available"], waiter: Self.waiter)
        let restoredVolume = try await storage.volumes.get(restored)

        try await storage.volumes.delete(restored)
        try await storage.backups.delete(backup.id)
        try await Self.waitUntilGone { try await storage.backups.find(backup.id) != nil }
        try await storage.volumes.delete(volume.id)
        try await Self.waitUntilGone { try await storage.volumes.find(volume.id) != nil }
        let left = try await storage.volumes.list().collect().filter { $0.name?.hasPrefix(name) == true }
        return ([volume.size, extended.size, stored.size ?? -1], restoredVolume.size, left.count)
      } catch {
        if let restoredID { try? await storage.volumes.deleteIfPresent(restoredID) }
        if let backupID { try? await storage.backups.deleteIfPresent(backupID) }
        try? await storage.volumes.deleteIfPresent(volume.id)
        throw error
      }
    }
    #expect(sizes == [1, 2, 2])
    #expect(restoredSize == 2)
    #expect(leftovers == 0)
  }

  /// Deletes in Cinder are asynchronous: the resource answers 404 once it is gone.
  static func waitUntilGone(_ exists: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(120)
    while try await exists() {
      guard ContinuousClock.now < deadline else { throw WaitTimeout() }
      try await Task.sleep(for: .milliseconds(500))
    }
  }
}

struct WaitTimeout: Error {}
