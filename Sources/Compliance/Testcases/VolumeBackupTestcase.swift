import OpenStack

/// scs-0117 volume backup: create an empty 1 GiB volume, back it up, restore the backup into a new
/// volume, each step waited for within the run's bound, and remove all three whatever happens. Any
/// failure — including a cloud without block storage or without a backup service — is a FAIL, as
/// upstream decides ("these things have to work").
enum VolumeBackupTestcase {
  static var testcase: Testcase {
    Testcase("scs-0117-test-backup") { context, log in
      let storage: BlockStorageAPI
      do {
        storage = try await context.session.blockStorage()
      } catch {
        log.error("Backup test failed: \(error)")
        return false
      }
      let created = CreatedVolumes()
      do {
        try await exercise(storage, context, log, created)
        await cleanUp(storage, created, context, log)
        return true
      } catch {
        log.error("Backup test failed: \(error)")
        await cleanUp(storage, created, context, log)
        return false
      }
    }
  }

  /// What the test made so far, for the clean-up.
  final class CreatedVolumes: @unchecked Sendable {
    var volumes: [String] = []
    var backups: [String] = []
  }

  static func exercise(
    _ storage: BlockStorageAPI, _ context: CheckContext, _ log: TestcaseLog, _ created: CreatedVolumes
  ) async throws {
    let volume = try await storage.volumes.create(VolumeCreate(name: context.name("0117-volume"), size: 1))
    created.volumes.append(volume.id)
    try await storage.waitFor(volume: volume.id, status: ["available"], waiter: context.waiter)
    log.info("Create empty volume \(volume.id): PASS")
    let backup = try await storage.backups.create(
      BackupCreate(volumeID: volume.id, name: context.name("0117-volume-backup")))
    created.backups.append(backup.id)
    try await storage.waitFor(backup: backup.id, status: ["available"], waiter: context.waiter)
    log.info("Create backup \(backup.id) from volume: PASS")
    let restored = try await storage.restore(backup: backup.id, name: context.name("0117-restored-backup"))
    created.volumes.append(restored)
    try await storage.waitFor(volume: restored, status: ["available"], waiter: context.waiter)
    log.info("Restore volume \(restored) from backup: PASS")
  }

  /// Backups first (a volume with backups cannot be deleted), each waited for until gone.
  static func cleanUp(
    _ storage: BlockStorageAPI, _ created: CreatedVolumes, _ context: CheckContext, _ log: TestcaseLog
  ) async {
    let backups = created.backups
    let volumes = created.volumes
    let waiter = context.waiter
    if let error = await Cleanup.detached({
      for id in backups {
        try? await storage.waitFor(backup: id, status: ["available", "error"], waiter: waiter)
        try await storage.backups.deleteIfPresent(id)
        try await waiter.wait(for: "deletion of backup \(id)", done: ["gone"]) {
          try await storage.backups.find(id) == nil ? "gone" : "present"
        }
      }
      for id in volumes {
        try? await storage.waitFor(volume: id, status: ["available", "error"], waiter: waiter)
        try await storage.volumes.deleteIfPresent(id)
      }
    }) {
      log.warning("clean-up incomplete (steward compliance cleanup removes the rest): \(error)")
    }
  }
}
