import Foundation

/// The booking rules as pure functions, so they are tested without a database. The store applies them inside
/// a transaction that holds the resource's row lock, which makes check-then-insert safe under concurrency.
public enum LeaseRules {
  static func invalidWindowError(_ resource: String, _ window: TimeWindow) -> LeasingError {
    LeasingError.invalidTimeRange(resource, window)
  }

  /// A new offer or lease window: start strictly before end.
  public static func validate(_ window: TimeWindow, resource: String) throws {
    guard window.isValid else { throw LeasingError.invalidTimeRange(resource, window) }
  }

  /// A claim must lie inside its offer's window and must not overlap the offer's other (holding) leases.
  public static func checkClaim(_ window: TimeWindow, offer: Offer, existing: [Lease]) throws {
    try validate(window, resource: "a lease")
    guard offer.window.contains(window) else {
      throw LeasingError(
        .conflict,
        "Offer \(offer.uuid) has no availabilities at given time range \(LeasingDate.format(window.start)), \(LeasingDate.format(window.end)): the offer runs \(offer.window)."
      )
    }
    if existing.contains(where: { LeaseStatus.holding.contains($0.status) && $0.window.overlaps(window) }) {
      throw LeasingError(
        .conflict,
        "Offer \(offer.uuid) has no availabilities at given time range \(LeasingDate.format(window.start)), \(LeasingDate.format(window.end))."
      )
    }
  }

  /// A new offer or direct lease on a resource must not overlap holding leases or available offers of the same
  /// scope (top level, or the children of one parent lease). `except` is the offer being claimed.
  public static func checkResourceFree(
    _ window: TimeWindow, type: String, uuid: String, offers: [Offer], leases: [Lease], exceptOffer: String? = nil
  ) throws {
    let offerConflict = offers.contains {
      $0.uuid != exceptOffer && $0.status == .available && $0.window.overlaps(window)
    }
    let leaseConflict = leases.contains { LeaseStatus.holding.contains($0.status) && $0.window.overlaps(window) }
    if offerConflict || leaseConflict { throw LeasingError.timeConflict(type, uuid) }
  }

  /// A sub-lease or sub-offer must lie within its parent lease, and the parent must itself be top level.
  public static func checkChild(_ window: TimeWindow, parent: Lease, type: String, uuid: String) throws {
    guard parent.parentLeaseUUID == nil, parent.window.contains(window) else {
      throw LeasingError(
        .forbidden,
        "You do not have permissions on \(type) \(uuid) for the time range \(LeasingDate.format(window.start)) - \(LeasingDate.format(window.end))."
      )
    }
  }

  /// The free intervals of an offer from `now` on, given its holding leases (esi-leap's `availabilities`).
  public static func availabilities(of offer: Offer, leases: [Lease], now: Date) -> [TimeWindow] {
    guard offer.status == .available else { return [] }
    var cursor = max(offer.startTime, now)
    var result: [TimeWindow] = []
    let busy = leases.filter { LeaseStatus.holding.contains($0.status) }.map(\.window).sorted { $0.start < $1.start }
    for window in busy where window.end > cursor {
      if window.start > cursor { result.append(TimeWindow(start: cursor, end: min(window.start, offer.endTime))) }
      cursor = max(cursor, window.end)
      if cursor >= offer.endTime { break }
    }
    if cursor < offer.endTime { result.append(TimeWindow(start: cursor, end: offer.endTime)) }
    return result.filter(\.isValid)
  }
}
