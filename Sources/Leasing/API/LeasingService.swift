import Foundation
import OpenStack
import StewardServer

/// The esi-leap operations with their authorization: what the HTTP routes call. Checks policy first, then
/// the resource rules (who owns the node, who holds the current lease), then lets the store book atomically.
public struct LeasingService: Sendable {
  public let store: LeasingStore
  public let resources: ResourceRegistry
  public let policy: Policy
  public let projects: any ProjectDirectory
  public let manager: LeaseManager
  /// Called after a change the manager should act on soon (a lease that starts now, a cancellation).
  public let nudge: @Sendable () -> Void

  public init(
    store: LeasingStore, resources: ResourceRegistry, policy: Policy, projects: any ProjectDirectory,
    manager: LeaseManager, nudge: @escaping @Sendable () -> Void = {}
  ) {
    self.store = store
    self.resources = resources
    self.policy = policy
    self.projects = projects
    self.manager = manager
    self.nudge = nudge
  }

  // MARK: - policy helpers

  func authorize(_ rule: String, _ caller: Caller, target: [String: String] = [:]) throws {
    guard policy.allows(rule, caller.policyCredentials, target: target) else { throw LeasingError.ruleDenied(rule) }
  }

  func allows(_ rule: String, _ caller: Caller, target: [String: String] = [:]) -> Bool {
    policy.allows(rule, caller.policyCredentials, target: target)
  }

  /// esi-leap's `check_offer_lessee`: an offer meant for one project is hidden from the others.
  func checkOfferLessee(_ offer: Offer, _ caller: Caller) throws {
    guard let lessee = offer.lesseeID, lessee != caller.projectID, offer.projectID != caller.projectID else { return }
    guard allows("esi_leap:offer:offer_admin", caller) else { throw LeasingError.accessDenied("offer", offer.uuid) }
  }

  /// The parent lease when the caller is not the resource's owner but holds its current top-level lease.
  func parentLease(for resource: LeasableResource, caller: Caller) async throws -> String? {
    if resource.ownerProjectID == caller.projectID || allows("esi_leap:offer:offer_admin", caller) { return nil }
    let held = try await store.leases(
      LeaseFilter(
        projectID: caller.projectID ?? "", statuses: [.active], resourceType: resource.type,
        resourceUUID: resource.uuid)
    ).filter { $0.parentLeaseUUID == nil }
    guard let lease = held.first else { throw LeasingError.accessDenied(resource.type, resource.uuid) }
    return lease.uuid
  }

  // MARK: - offers

  public func createOffer(_ input: OfferInput, caller: Caller, now: Date = Date()) async throws -> Offer {
    try authorize("esi_leap:offer:create", caller)
    let backend = try resources.backend(input.resourceType)
    let resource = try await backend.resolve(input.resourceUUID)
    let lessee = try await input.lesseeID.asyncMap { try await projects.resolve($0) }
    let offer = Offer(
      name: input.name, projectID: caller.projectID ?? "", lesseeID: lessee, resourceType: backend.resourceType,
      resourceUUID: resource.uuid, startTime: input.startTime ?? now, endTime: input.endTime ?? LeasingDate.distantEnd,
      properties: input.properties, parentLeaseUUID: try await parentLease(for: resource, caller: caller))
    return try await store.createOffer(offer)
  }

  public func offers(_ query: OfferQuery, caller: Caller) async throws -> [Offer] {
    try authorize("esi_leap:offer:get_all", caller)
    var filter = OfferFilter(statuses: query.statuses, covering: query.window, availableIn: query.availableWindow)
    filter.projectID = try await query.projectID.asyncMap { try await projects.resolve($0) }
    if let type = query.resourceType ?? (query.resourceUUID == nil ? nil : resources.defaultType) {
      filter.resourceType = type
    }
    if let ident = query.resourceUUID {
      filter.resourceUUID = try await resources.backend(filter.resourceType).resolve(ident).uuid
    }
    if !allows("esi_leap:offer:offer_admin", caller) { filter.visibleTo = caller.projectID ?? "" }
    return try await store.offers(filter)
  }

  public func offer(_ ident: String, caller: Caller) async throws -> Offer {
    let offer = try await store.offer(ident: ident)
    try authorizeOffer("esi_leap:offer:get", offer, caller)
    try checkOfferLessee(offer, caller)
    return offer
  }

  public func deleteOffer(_ ident: String, caller: Caller) async throws {
    let offer = try await store.offer(ident: ident, statuses: OfferStatus.canDelete)
    try authorizeOffer("esi_leap:offer:delete", offer, caller)
    for lease in try await store.deleteOffer(offer.uuid) { try await cancel(lease.uuid) }
  }

  public func claim(_ ident: String, _ input: ClaimInput, caller: Caller, now: Date = Date()) async throws -> Lease {
    let offer = try await store.offer(ident: ident, statuses: [.available])
    try authorizeOffer("esi_leap:offer:claim", offer, caller)
    try checkOfferLessee(offer, caller)
    let lease = try await store.claim(
      offerUUID: offer.uuid, lessee: caller.projectID ?? "", name: input.name, start: input.startTime,
      end: input.endTime, properties: input.properties, now: now)
    if lease.startTime <= Date() { nudge() }
    return lease
  }

  func authorizeOffer(_ rule: String, _ offer: Offer, _ caller: Caller) throws {
    var target = caller.policyCredentials.values
    target["offer.project_id"] = offer.projectID
    guard allows(rule, caller, target: target) else { throw LeasingError.accessDenied("offer", offer.uuid) }
  }

  // MARK: - leases

  public func createLease(_ input: LeaseInput, caller: Caller, now: Date = Date()) async throws -> Lease {
    try authorize("esi_leap:lease:create", caller)
    let backend = try resources.backend(input.resourceType)
    let resource = try await backend.resolve(input.resourceUUID)
    let lessee = try await projects.resolve(input.projectID)
    let lease = Lease(
      name: input.name, projectID: lessee, ownerID: caller.projectID ?? "", resourceType: backend.resourceType,
      resourceUUID: resource.uuid, startTime: input.startTime ?? now, endTime: input.endTime ?? LeasingDate.distantEnd,
      properties: input.properties, parentLeaseUUID: try await parentLease(for: resource, caller: caller),
      purpose: input.purpose)
    let created = try await store.createLease(lease)
    if created.startTime <= Date() { nudge() }
    return created
  }

  public func leases(_ query: LeaseQuery, caller: Caller) async throws -> [Lease] {
    var filter = LeaseFilter(statuses: query.statuses, offerUUID: query.offerUUID, during: query.window)
    let project = caller.projectID ?? ""
    let projectID = try await query.projectID.asyncMap { try await projects.resolve($0) }
    let ownerID = try await query.ownerID.asyncMap { try await projects.resolve($0) }
    if query.view == "all" {
      try authorize("esi_leap:lease:lease_admin", caller)
      filter.ownerID = ownerID
      filter.projectID = projectID
    } else {
      try authorize("esi_leap:lease:get_all", caller)
      if let ownerID {
        if ownerID != project { try authorize("esi_leap:lease:lease_admin", caller) }
        filter.ownerID = ownerID
        filter.projectID = projectID
      } else if let projectID {
        if projectID != project { try authorize("esi_leap:lease:lease_admin", caller) }
        filter.projectID = projectID
      } else {
        filter.projectOrOwnerID = project
      }
    }
    if let type = query.resourceType ?? (query.resourceUUID == nil ? nil : resources.defaultType) {
      filter.resourceType = type
    }
    if let ident = query.resourceUUID {
      filter.resourceUUID = try await resources.backend(filter.resourceType).resolve(ident).uuid
    }
    return try await store.leases(filter)
  }

  public func lease(_ ident: String, caller: Caller) async throws -> Lease {
    let lease = try await store.lease(ident: ident)
    try authorizeLease("esi_leap:lease:get", lease, caller)
    return lease
  }

  public func deleteLease(_ ident: String, caller: Caller) async throws {
    let lease = try await store.lease(ident: ident, statuses: LeaseStatus.canDelete)
    try authorizeLease("esi_leap:lease:delete", lease, caller)
    try await cancel(lease.uuid)
  }

  func authorizeLease(_ rule: String, _ lease: Lease, _ caller: Caller) throws {
    var target = caller.policyCredentials.values
    target["lease.owner_id"] = lease.ownerID
    target["lease.project_id"] = lease.projectID
    guard allows(rule, caller, target: target) else { throw LeasingError.accessDenied("lease", lease.uuid) }
  }

  /// Marks the lease (and its sub-leases) `wait cancel`, releases the resource and marks them deleted; what
  /// cannot be released now stays `wait cancel` for the manager.
  func cancel(_ uuid: String) async throws {
    let leases = try await store.beginCancel(lease: uuid)
    var pending = false
    for lease in leases {
      if await manager.deactivate(lease) {
        try await store.transition(lease: lease.uuid, from: [.waitCancel], to: .deleted, expireTime: Date())
      } else {
        pending = true
      }
    }
    if pending { nudge() }
  }

  // MARK: - nodes

  public struct NodeView: Sendable {
    public var resource: LeasableResource
    public var offerUUID: String?
    public var futureOffers: [String]
    public var futureLeases: [String]
  }

  public func nodes(caller: Caller, now: Date = Date()) async throws -> [NodeView] {
    try authorize("esi_leap:node:get_all", caller)
    let admin = allows("esi_leap:offer:offer_admin", caller)
    let project = caller.projectID ?? ""
    var nodes: [LeasableResource] = []
    for type in resources.backends.keys.sorted() {
      nodes += try await resources.backend(type).list().filter {
        admin || $0.ownerProjectID == project || $0.lesseeProjectID == project
      }
    }
    let offers = Dictionary(grouping: try await store.offers(OfferFilter(statuses: [.available])), by: \.resourceUUID)
    let leases = Dictionary(grouping: try await store.leases(LeaseFilter(statuses: [.created])), by: \.resourceUUID)
    return nodes.map { node in
      let nodeOffers = offers[node.uuid] ?? []
      return NodeView(
        resource: node,
        offerUUID: nodeOffers.first { $0.startTime <= now && $0.endTime >= now }?.uuid,
        futureOffers: nodeOffers.filter { $0.startTime > now }.map(\.uuid),
        futureLeases: (leases[node.uuid] ?? []).map(\.uuid))
    }
  }

  /// esi-leap's `availabilities` for a list of offers with one query for all their leases.
  public func availabilities(_ offers: [Offer], now: Date = Date()) async throws -> [String: [TimeWindow]] {
    let available = offers.filter { $0.status == .available }
    guard !available.isEmpty else { return [:] }
    let byOffer = Dictionary(
      grouping: try await store.holdingLeases(offerUUIDs: available.map(\.uuid)), by: { $0.offerUUID ?? "" })
    var result: [String: [TimeWindow]] = [:]
    for offer in available {
      result[offer.uuid] = LeaseRules.availabilities(of: offer, leases: byOffer[offer.uuid] ?? [], now: now)
    }
    return result
  }
}

extension Optional {
  func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
    guard let value = self else { return nil }
    return try await transform(value)
  }
}
