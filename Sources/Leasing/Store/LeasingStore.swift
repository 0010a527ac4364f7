import Foundation
import OpenStack
import Storage

/// Offers and leases in the database. Every write that books time on a resource first takes that resource's
/// row lock (`leasing_resources`, `FOR UPDATE` on PostgreSQL; SQLite has one writer), then checks the rules
/// against what is committed, then inserts: two concurrent claims for the same window cannot both pass, on one
/// process or on many replicas.
public struct LeasingStore: Sendable {
  public let database: any Database

  public init(database: any Database) { self.database = database }

  public func migrate() async throws { try await Migrator.migrate(database, [LeasingSchema.migrations]) }

  // MARK: - booking

  /// Inserts a new offer after the availability checks. `parent` is set for a lessee's sub-offer.
  public func createOffer(_ offer: Offer) async throws -> Offer {
    var normalized = offer
    (normalized.startTime, normalized.endTime) = (Self.stored(offer.startTime), Self.stored(offer.endTime))
    let offer = normalized
    try LeaseRules.validate(offer.window, resource: "an offer")
    return try await database.write(isolation: .readCommitted) { db in
      try await Self.lockResource(db, offer.resourceType, offer.resourceUUID)
      try await Self.checkFree(db, offer.window, offer.resourceType, offer.resourceUUID, parent: offer.parentLeaseUUID)
      try await Self.insert(db, offer)
      return offer
    }
  }

  /// Claims `offerUUID` for `lessee`: the lease lies inside the offer and overlaps none of its other leases.
  /// Without an end the lease runs until the next lease of the offer or the offer's end, as esi-leap does.
  public func claim(
    offerUUID: String, lessee: String, name: String?, start: Date?, end: Date?, properties: [String: JSONValue],
    now: Date = Date()
  ) async throws -> Lease {
    guard let probe = try await offer(uuid: offerUUID) else { throw LeasingError.offerNotFound(offerUUID) }
    let (start, end, now) = (start.map(Self.stored), end.map(Self.stored), Self.stored(now))
    return try await database.write(isolation: .readCommitted) { db in
      try await Self.lockResource(db, probe.resourceType, probe.resourceUUID)
      guard let offer = try await Self.fetchOffers(db, "uuid = ?", [.text(offerUUID)]).first else {
        throw LeasingError.offerNotFound(offerUUID)
      }
      guard offer.status == .available else {
        throw LeasingError(
          .conflict,
          "Offer \(offer.uuid) does not have status \"available\". Got offer status \"\(offer.status.rawValue)\".")
      }
      let existing = try await Self.fetchLeases(
        db, "offer_uuid = ? AND status IN (\(Self.placeholders(LeaseStatus.holding.count)))",
        [.text(offer.uuid)] + LeaseStatus.holding.map { .text($0.rawValue) })
      let startTime = start ?? now
      var endTime = end ?? offer.endTime
      if end == nil,
        let next = existing.filter({ $0.startTime >= startTime && LeaseStatus.holding.contains($0.status) })
          .map(\.startTime).min()
      {
        endTime = next
      }
      let lease = Lease(
        name: name, projectID: lessee, ownerID: offer.projectID, resourceType: offer.resourceType,
        resourceUUID: offer.resourceUUID, startTime: startTime, endTime: endTime, properties: properties,
        offerUUID: offer.uuid, parentLeaseUUID: offer.parentLeaseUUID)
      try LeaseRules.checkClaim(lease.window, offer: offer, existing: existing)
      try await Self.insert(db, lease)
      return lease
    }
  }

  /// Inserts a lease made directly by the resource's owner (or a lessee's sub-lease when `parentLeaseUUID` is set).
  public func createLease(_ lease: Lease) async throws -> Lease {
    var normalized = lease
    (normalized.startTime, normalized.endTime) = (Self.stored(lease.startTime), Self.stored(lease.endTime))
    let lease = normalized
    try LeaseRules.validate(lease.window, resource: "a lease")
    return try await database.write(isolation: .readCommitted) { db in
      try await Self.lockResource(db, lease.resourceType, lease.resourceUUID)
      try await Self.checkFree(db, lease.window, lease.resourceType, lease.resourceUUID, parent: lease.parentLeaseUUID)
      try await Self.insert(db, lease)
      return lease
    }
  }

  /// A date as the database keeps it (whole microseconds), so rules compare what will be stored.
  static func stored(_ date: Date) -> Date { SQLValue.date(microseconds: SQLValue.microseconds(date)) }

  static func lockResource(_ db: any SQLExecutor, _ type: String, _ uuid: String) async throws {
    try await db.execute(
      db.dialect.insertIgnoring("leasing_resources", columns: ["resource_type", "resource_uuid"]),
      [.text(type), .text(uuid)])
    _ = try await db.query(
      "SELECT resource_uuid FROM leasing_resources WHERE resource_type = ? AND resource_uuid = ?\(db.dialect.forUpdate)",
      [.text(type), .text(uuid)])
  }

  /// No available offer and no holding lease of the same scope overlaps `window`. A child (sub-lease or
  /// sub-offer) must also lie inside its active, top-level parent.
  static func checkFree(
    _ db: any SQLExecutor, _ window: TimeWindow, _ type: String, _ uuid: String, parent: String?
  ) async throws {
    var scope = "resource_type = ? AND resource_uuid = ? AND start_time < ? AND end_time > ?"
    var bindings: [SQLValue] = [.text(type), .text(uuid), .date(window.end), .date(window.start)]
    if let parent {
      guard let parentLease = try await fetchLeases(db, "uuid = ?", [.text(parent)]).first else {
        throw LeasingError.leaseNotFound(parent)
      }
      guard parentLease.status == .active else {
        throw LeasingError(.conflict, "Lease with name or uuid \(parent) not active.")
      }
      try LeaseRules.checkChild(window, parent: parentLease, type: type, uuid: uuid)
      scope += " AND parent_lease_uuid = ?"
      bindings.append(.text(parent))
    } else {
      scope += " AND parent_lease_uuid IS NULL"
    }
    let offers = try await fetchOffers(db, scope + " AND status = 'available'", bindings)
    let leases = try await fetchLeases(
      db, scope + " AND status IN (\(placeholders(LeaseStatus.holding.count)))",
      bindings + LeaseStatus.holding.map { .text($0.rawValue) })
    try LeaseRules.checkResourceFree(window, type: type, uuid: uuid, offers: offers, leases: leases)
  }

  // MARK: - reading

  public func offer(uuid: String) async throws -> Offer? {
    try await database.read { db in try await Self.fetchOffers(db, "uuid = ?", [.text(uuid)]).first }
  }

  /// By UUID, else by name (exactly one offer with the statuses given, as esi-leap resolves names).
  public func offer(ident: String, statuses: [OfferStatus] = []) async throws -> Offer {
    if let found = try await offer(uuid: ident) {
      guard statuses.isEmpty || statuses.contains(found.status) else { throw LeasingError.offerNotFound(ident) }
      return found
    }
    let named = try await offers(OfferFilter(statuses: statuses.isEmpty ? nil : statuses, name: ident))
    guard named.count == 1 else {
      if named.isEmpty { throw LeasingError.offerNotFound(ident) }
      throw LeasingError(.conflict, "Duplicate offers with name \(ident).")
    }
    return named[0]
  }

  public func lease(uuid: String) async throws -> Lease? {
    try await database.read { db in try await Self.fetchLeases(db, "uuid = ?", [.text(uuid)]).first }
  }

  public func lease(ident: String, statuses: [LeaseStatus] = []) async throws -> Lease {
    if let found = try await lease(uuid: ident) {
      guard statuses.isEmpty || statuses.contains(found.status) else { throw LeasingError.leaseNotFound(ident) }
      return found
    }
    let named = try await leases(LeaseFilter(statuses: statuses.isEmpty ? nil : statuses, name: ident))
    guard named.count == 1 else {
      if named.isEmpty { throw LeasingError.leaseNotFound(ident) }
      throw LeasingError(.conflict, "Duplicate leases with name \(ident).")
    }
    return named[0]
  }

  public func offers(_ filter: OfferFilter) async throws -> [Offer] {
    var conditions = SQLConditions()
    conditions.equal("project_id", filter.projectID)
    if let value = filter.visibleTo {
      conditions.add("(project_id = ? OR lessee_id IS NULL OR lessee_id = ?)", [.text(value), .text(value)])
    }
    conditions.equal("resource_type", filter.resourceType)
    conditions.equal("resource_uuid", filter.resourceUUID)
    conditions.equal("name", filter.name)
    conditions.equal("parent_lease_uuid", filter.parentLeaseUUID)
    conditions.oneOf("status", filter.statuses?.map(\.rawValue))
    if let window = filter.covering {
      conditions.add("start_time <= ? AND end_time >= ?", [.date(window.start), .date(window.end)])
    }
    if let window = filter.availableIn {
      conditions.add(
        """
        start_time <= ? AND end_time >= ? AND NOT EXISTS (SELECT 1 FROM leasing_leases l
          WHERE l.offer_uuid = leasing_offers.uuid AND l.start_time < ? AND l.end_time > ?
          AND l.status IN (\(Self.placeholders(LeaseStatus.holding.count))))
        """,
        [.date(window.start), .date(window.end), .date(window.end), .date(window.start)]
          + LeaseStatus.holding.map { .text($0.rawValue) })
    }
    let (whereClause, values) = (conditions.sql, conditions.bindings)
    return try await database.read { db in try await Self.fetchOffers(db, whereClause, values) }
  }

  public func leases(_ filter: LeaseFilter) async throws -> [Lease] {
    var conditions = SQLConditions()
    conditions.equal("project_id", filter.projectID)
    conditions.equal("owner_id", filter.ownerID)
    if let value = filter.projectOrOwnerID {
      conditions.add("(project_id = ? OR owner_id = ?)", [.text(value), .text(value)])
    }
    conditions.equal("offer_uuid", filter.offerUUID)
    conditions.equal("resource_type", filter.resourceType)
    conditions.equal("resource_uuid", filter.resourceUUID)
    conditions.equal("name", filter.name)
    conditions.equal("parent_lease_uuid", filter.parentLeaseUUID)
    conditions.oneOf("status", filter.statuses?.map(\.rawValue))
    if let window = filter.during {
      conditions.add("start_time < ? AND end_time > ?", [.date(window.end), .date(window.start)])
    }
    let (whereClause, values) = (conditions.sql, conditions.bindings)
    return try await database.read { db in try await Self.fetchLeases(db, whereClause, values) }
  }

  /// The holding leases of these offers, in chunks of 500 per query.
  public func holdingLeases(offerUUIDs: [String]) async throws -> [Lease] {
    var result: [Lease] = []
    var start = 0
    while start < offerUUIDs.count {
      let chunk = Array(offerUUIDs[start..<min(start + 500, offerUUIDs.count)])
      start += 500
      result += try await database.read { db in
        try await Self.fetchLeases(
          db,
          "offer_uuid IN (\(Self.placeholders(chunk.count))) AND status IN (\(Self.placeholders(LeaseStatus.holding.count)))",
          chunk.map { .text($0) } + LeaseStatus.holding.map { .text($0.rawValue) })
      }
    }
    return result
  }

  // MARK: - manager queries (indexed by status and time)

  /// Leases due to start: created (or waiting to be fulfilled) with start_time reached and end_time ahead.
  public func leasesToFulfil(now: Date, limit: Int = 500) async throws -> [Lease] {
    try await database.read { db in
      try await Self.fetchLeases(
        db, "status IN ('created', 'wait fulfill') AND start_time <= ? AND end_time > ?",
        [.date(now), .date(now)], order: "parent_lease_uuid IS NOT NULL, start_time", limit: limit)
    }
  }

  /// Leases due to end. Children first, so a parent's node returns to the parent's lessee before the parent ends.
  public func leasesToExpire(now: Date, limit: Int = 500) async throws -> [Lease] {
    try await database.read { db in
      try await Self.fetchLeases(
        db, "status IN ('active', 'created', 'wait fulfill', 'wait expire', 'error') AND end_time <= ?",
        [.date(now)], order: "parent_lease_uuid IS NULL, end_time", limit: limit)
    }
  }

  public func leasesWaitingCancel(limit: Int = 500) async throws -> [Lease] {
    try await database.read { db in
      try await Self.fetchLeases(db, "status = 'wait cancel'", [], order: "end_time", limit: limit)
    }
  }

  public func activeLeases() async throws -> [Lease] {
    try await database.read { db in
      try await Self.fetchLeases(
        db, "status = 'active'", [], order: "parent_lease_uuid IS NOT NULL, start_time", limit: nil)
    }
  }

  /// Marks offers past their end as expired; returns how many.
  @discardableResult
  public func expireOffers(now: Date) async throws -> Int {
    try await database.write(isolation: .readCommitted) { db in
      try await db.execute(
        "UPDATE leasing_offers SET status = 'expired', updated_at = ? WHERE status = 'available' AND end_time <= ?",
        [.date(now), .date(now)])
    }
  }

  // MARK: - status changes

  /// Moves a lease to `status` only if it is still in one of `from` (so two replicas never both act on it).
  @discardableResult
  public func transition(
    lease uuid: String, from: [LeaseStatus], to status: LeaseStatus, fulfillTime: Date? = nil,
    expireTime: Date? = nil, now: Date = Date()
  ) async throws -> Bool {
    try await database.write(isolation: .readCommitted) { db in
      var sql = "UPDATE leasing_leases SET status = ?, updated_at = ?"
      var bindings: [SQLValue] = [.text(status.rawValue), .date(now)]
      if let fulfillTime {
        sql += ", fulfill_time = ?"
        bindings.append(.date(fulfillTime))
      }
      if let expireTime {
        sql += ", expire_time = ?"
        bindings.append(.date(expireTime))
      }
      sql += " WHERE uuid = ? AND status IN (\(Self.placeholders(from.count)))"
      bindings.append(.text(uuid))
      bindings += from.map { .text($0.rawValue) }
      return try await db.execute(sql, bindings) == 1
    }
  }

  /// Marks a lease and its sub-leases `wait cancel`, and their sub-offers and (for an offer's cancel) nothing
  /// else; returns the leases to deactivate, children first.
  public func beginCancel(lease uuid: String, now: Date = Date()) async throws -> [Lease] {
    try await database.write(isolation: .readCommitted) { db in
      let cancellable = LeaseStatus.canDelete + [.waitCancel]
      let children = try await Self.fetchLeases(
        db, "parent_lease_uuid = ? AND status IN (\(Self.placeholders(cancellable.count)))",
        [.text(uuid)] + cancellable.map { .text($0.rawValue) })
      guard let lease = try await Self.fetchLeases(db, "uuid = ?", [.text(uuid)]).first,
        cancellable.contains(lease.status)
      else { throw LeasingError.leaseNotFound(uuid) }
      for item in children + [lease] {
        try await db.execute(
          "UPDATE leasing_leases SET status = 'wait cancel', updated_at = ? WHERE uuid = ?",
          [.date(now), .text(item.uuid)])
      }
      try await db.execute(
        "UPDATE leasing_offers SET status = 'deleted', updated_at = ? WHERE parent_lease_uuid = ? AND status IN ('available', 'error')",
        [.date(now), .text(uuid)])
      return (children + [lease]).map {
        var copy = $0
        copy.status = .waitCancel
        return copy
      }
    }
  }

  /// Deletes an offer; returns its leases that must be cancelled.
  public func deleteOffer(_ uuid: String, now: Date = Date()) async throws -> [Lease] {
    try await database.write(isolation: .readCommitted) { db in
      let changed = try await db.execute(
        "UPDATE leasing_offers SET status = 'deleted', updated_at = ? WHERE uuid = ? AND status IN ('available', 'error')",
        [.date(now), .text(uuid)])
      guard changed == 1 else { throw LeasingError.offerNotFound(uuid) }
      return try await Self.fetchLeases(
        db, "offer_uuid = ? AND status IN (\(Self.placeholders(LeaseStatus.canDelete.count)))",
        [.text(uuid)] + LeaseStatus.canDelete.map { .text($0.rawValue) })
    }
  }

  // MARK: - rows

  static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

  static let offerColumns =
    "uuid, name, project_id, lessee_id, resource_type, resource_uuid, start_time, end_time, status, properties, parent_lease_uuid"
  static let leaseColumns =
    "uuid, name, project_id, owner_id, resource_type, resource_uuid, start_time, end_time, fulfill_time, expire_time, status, properties, offer_uuid, parent_lease_uuid, purpose"

  static func fetchOffers(
    _ db: any SQLExecutor, _ whereClause: String, _ bindings: [SQLValue], limit: Int? = nil
  ) async throws -> [Offer] {
    let sql =
      "SELECT \(offerColumns) FROM leasing_offers WHERE \(whereClause) ORDER BY start_time, id"
      + (limit.map { " LIMIT \($0)" } ?? "")
    return try await db.query(sql, bindings).map { row in
      Offer(
        uuid: try row.string("uuid"), name: try row.optionalString("name"), projectID: try row.string("project_id"),
        lesseeID: try row.optionalString("lessee_id"), resourceType: try row.string("resource_type"),
        resourceUUID: try row.string("resource_uuid"), startTime: try row.date("start_time"),
        endTime: try row.date("end_time"), status: OfferStatus(rawValue: try row.string("status")) ?? .error,
        properties: decodeProperties(try row.optionalString("properties")),
        parentLeaseUUID: try row.optionalString("parent_lease_uuid"))
    }
  }

  static func fetchLeases(
    _ db: any SQLExecutor, _ whereClause: String, _ bindings: [SQLValue], order: String = "start_time, id",
    limit: Int? = nil
  ) async throws -> [Lease] {
    let sql =
      "SELECT \(leaseColumns) FROM leasing_leases WHERE \(whereClause) ORDER BY \(order)"
      + (limit.map { " LIMIT \($0)" } ?? "")
    return try await db.query(sql, bindings).map { row in
      Lease(
        uuid: try row.string("uuid"), name: try row.optionalString("name"), projectID: try row.string("project_id"),
        ownerID: try row.string("owner_id"), resourceType: try row.string("resource_type"),
        resourceUUID: try row.string("resource_uuid"), startTime: try row.date("start_time"),
        endTime: try row.date("end_time"), fulfillTime: try row.optionalDate("fulfill_time"),
        expireTime: try row.optionalDate("expire_time"),
        status: LeaseStatus(rawValue: try row.string("status")) ?? .error,
        properties: decodeProperties(try row.optionalString("properties")),
        offerUUID: try row.optionalString("offer_uuid"), parentLeaseUUID: try row.optionalString("parent_lease_uuid"),
        purpose: try row.optionalString("purpose"))
    }
  }

  static func insert(_ db: any SQLExecutor, _ offer: Offer) async throws {
    let now = Date()
    try await db.execute(
      """
      INSERT INTO leasing_offers (\(offerColumns), created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        .text(offer.uuid), .text(offer.name), .text(offer.projectID), .text(offer.lesseeID),
        .text(offer.resourceType), .text(offer.resourceUUID), .date(offer.startTime), .date(offer.endTime),
        .text(offer.status.rawValue), .text(encodeProperties(offer.properties)), .text(offer.parentLeaseUUID),
        .date(now), .date(now),
      ])
  }

  static func insert(_ db: any SQLExecutor, _ lease: Lease) async throws {
    let now = Date()
    try await db.execute(
      """
      INSERT INTO leasing_leases (\(leaseColumns), created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        .text(lease.uuid), .text(lease.name), .text(lease.projectID), .text(lease.ownerID),
        .text(lease.resourceType), .text(lease.resourceUUID), .date(lease.startTime), .date(lease.endTime),
        .date(lease.fulfillTime), .date(lease.expireTime), .text(lease.status.rawValue),
        .text(encodeProperties(lease.properties)), .text(lease.offerUUID), .text(lease.parentLeaseUUID),
        .text(lease.purpose), .date(now), .date(now),
      ])
  }

  static func encodeProperties(_ properties: [String: JSONValue]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return (try? encoder.encode(properties)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }

  static func decodeProperties(_ text: String?) -> [String: JSONValue] {
    guard let text, let data = text.data(using: .utf8) else { return [:] }
    return (try? JSONDecoder().decode([String: JSONValue].self, from: data)) ?? [:]
  }
}
