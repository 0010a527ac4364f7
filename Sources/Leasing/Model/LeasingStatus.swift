/// esi-leap's status values, spelled as its API returns them (`wait fulfill` has a space).
public enum LeaseStatus: String, Sendable, Codable, CaseIterable {
  case created
  case active
  case expired
  case deleted
  case error
  case waitCancel = "wait cancel"
  case waitExpire = "wait expire"
  case waitFulfill = "wait fulfill"

  /// Statuses a lease may be deleted (cancelled) from.
  public static let canDelete: [LeaseStatus] = [.active, .created, .error, .waitFulfill]
  /// Statuses listed when the caller asks for none (esi-leap's default view).
  public static let listedByDefault: [LeaseStatus] = [
    .created, .active, .error, .waitCancel, .waitExpire, .waitFulfill,
  ]
  /// Statuses in which a lease still holds its node for its window: new leases and offers may not overlap it.
  public static let holding: [LeaseStatus] = [.created, .active, .waitFulfill, .waitExpire, .waitCancel]
}

public enum OfferStatus: String, Sendable, Codable, CaseIterable {
  case available
  case expired
  case deleted
  case error

  public static let canDelete: [OfferStatus] = [.available, .error]
}
