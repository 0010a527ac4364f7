import Foundation
import Logging
import ServiceLifecycle

/// The background job: fulfils leases when they start (the resource's service gets the lessee), expires them
/// when they end, finishes cancellations and expires offers. One replica at a time runs it (leader lock).
///
/// Restart safety: the resource is changed first and the database second, and both steps are idempotent, so a
/// crash between them only means the next run repeats the resource change. Work is found through
/// (status, start_time) and (status, end_time) indexes: a run costs what starts or ends, not all leases.
public struct LeaseManager: Service {
  public let store: LeasingStore
  public let resources: ResourceRegistry
  public let interval: Duration
  public let logger: Logger
  public let wakeup: ManagerWakeup

  public init(
    store: LeasingStore, resources: ResourceRegistry, interval: Duration = .seconds(10), logger: Logger,
    wakeup: ManagerWakeup = ManagerWakeup()
  ) {
    self.store = store
    self.resources = resources
    self.interval = interval
    self.logger = logger
    self.wakeup = wakeup
  }

  /// What one run did (for logs and tests).
  public struct RunReport: Sendable, Equatable {
    public var fulfilled: [String] = []
    public var expired: [String] = []
    public var cancelled: [String] = []
    public var failed: [String] = []
    public var offersExpired = 0
    /// False when another replica holds the leader lock.
    public var ran = true
  }

  public func run() async throws {
    var first = true
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
      do {
        _ = try await runOnce(reconcile: first)
        first = false
      } catch {
        logger.error("lease manager run failed: \(error)")
      }
      try? await cancelWhenGracefulShutdown { await wakeup.wait(timeout: interval) }
    }
  }

  /// One pass under the leader lock. `reconcile` also re-applies every active lease to its resource (once at
  /// start-up: repairs what changed while no manager ran).
  public func runOnce(now: Date = Date(), reconcile: Bool = false) async throws -> RunReport {
    let result = try await store.database.withLeaderLock("leasing.manager") {
      try await pass(now: now, reconcile: reconcile)
    }
    guard let result else {
      var report = RunReport()
      report.ran = false
      return report
    }
    return result
  }

  func pass(now: Date, reconcile: Bool) async throws -> RunReport {
    var report = RunReport()
    for lease in try await store.leasesWaitingCancel() {
      if await deactivate(lease) {
        try await store.transition(lease: lease.uuid, from: [.waitCancel], to: .deleted, expireTime: now)
        report.cancelled.append(lease.uuid)
      } else {
        report.failed.append(lease.uuid)
      }
    }
    for lease in try await store.leasesToExpire(now: now) {
      if await deactivate(lease) {
        try await store.transition(
          lease: lease.uuid, from: [.active, .created, .waitFulfill, .waitExpire, .error], to: .expired,
          expireTime: now)
        report.expired.append(lease.uuid)
        logger.info("lease \(lease.uuid) expired (\(lease.resourceType) \(lease.resourceUUID))")
      } else {
        try await store.transition(lease: lease.uuid, from: [.active], to: .waitExpire)
        report.failed.append(lease.uuid)
      }
    }
    for lease in try await store.leasesToFulfil(now: now) {
      do {
        try await resources.backend(lease.resourceType).setLease(
          lease.resourceUUID, leaseUUID: lease.uuid, lessee: lease.projectID)
        try await store.transition(
          lease: lease.uuid, from: [.created, .waitFulfill], to: .active, fulfillTime: now)
        report.fulfilled.append(lease.uuid)
        logger.info("lease \(lease.uuid) fulfilled: \(lease.resourceUUID) lessee \(lease.projectID)")
      } catch {
        logger.warning("lease \(lease.uuid) could not be fulfilled yet: \(error)")
        try await store.transition(lease: lease.uuid, from: [.created], to: .waitFulfill)
        report.failed.append(lease.uuid)
      }
    }
    report.offersExpired = try await store.expireOffers(now: now)
    if reconcile { try await reconcileActive(now: now, report: &report) }
    return report
  }

  /// Takes the resource back from `lease`; a sub-lease hands it back to its parent's lessee. True when done.
  func deactivate(_ lease: Lease) async -> Bool {
    do {
      let backend = try resources.backend(lease.resourceType)
      try await backend.removeLease(lease.resourceUUID, leaseUUID: lease.uuid)
      if let parentUUID = lease.parentLeaseUUID, let parent = try await store.lease(uuid: parentUUID),
        parent.status == .active, parent.endTime > Date()
      {
        try await backend.setLease(lease.resourceUUID, leaseUUID: parent.uuid, lessee: parent.projectID)
      }
      return true
    } catch {
      logger.warning("lease \(lease.uuid) could not be released from \(lease.resourceUUID) yet: \(error)")
      return false
    }
  }

  /// Every active lease in its window is set on its resource again if the resource shows another lease
  /// (parents first, so a current sub-lease wins).
  func reconcileActive(now: Date, report: inout RunReport) async throws {
    for lease in try await store.activeLeases() where lease.startTime <= now && lease.endTime > now {
      do {
        let backend = try resources.backend(lease.resourceType)
        let resource = try await backend.resolve(lease.resourceUUID)
        let hasActiveChild = try await !store.leases(
          LeaseFilter(statuses: [.active], parentLeaseUUID: lease.uuid)
        ).isEmpty
        if !hasActiveChild && (resource.leaseUUID != lease.uuid || resource.lesseeProjectID != lease.projectID) {
          try await backend.setLease(lease.resourceUUID, leaseUUID: lease.uuid, lessee: lease.projectID)
          logger.notice("lease \(lease.uuid): \(lease.resourceUUID) was not leased to \(lease.projectID); repaired")
          report.fulfilled.append(lease.uuid)
        }
      } catch {
        logger.warning("lease \(lease.uuid) could not be reconciled: \(error)")
      }
    }
  }
}
