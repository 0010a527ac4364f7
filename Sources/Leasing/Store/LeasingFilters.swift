import Foundation

/// Offer list filters (esi-leap's query parameters, resolved to IDs).
public struct OfferFilter: Sendable {
  public var projectID: String?
  /// Non-admin callers: only offers they own, offers without a lessee restriction and offers meant for them.
  public var visibleTo: String?
  public var resourceType: String?
  public var resourceUUID: String?
  /// nil = any status.
  public var statuses: [OfferStatus]?
  /// Offers whose window covers this range.
  public var covering: TimeWindow?
  /// Offers free (no holding lease) over this whole range.
  public var availableIn: TimeWindow?
  public var name: String?
  public var parentLeaseUUID: String?

  public init(
    projectID: String? = nil, visibleTo: String? = nil, resourceType: String? = nil, resourceUUID: String? = nil,
    statuses: [OfferStatus]? = OfferStatus.canDelete, covering: TimeWindow? = nil, availableIn: TimeWindow? = nil,
    name: String? = nil, parentLeaseUUID: String? = nil
  ) {
    self.projectID = projectID
    self.visibleTo = visibleTo
    self.resourceType = resourceType
    self.resourceUUID = resourceUUID
    self.statuses = statuses
    self.covering = covering
    self.availableIn = availableIn
    self.name = name
    self.parentLeaseUUID = parentLeaseUUID
  }
}

/// Lease list filters.
public struct LeaseFilter: Sendable {
  public var projectID: String?
  public var ownerID: String?
  /// Non-admin default view: leases where the caller is the lessee or the owner.
  public var projectOrOwnerID: String?
  public var statuses: [LeaseStatus]?
  public var offerUUID: String?
  /// Leases overlapping this range.
  public var during: TimeWindow?
  public var resourceType: String?
  public var resourceUUID: String?
  public var name: String?
  public var parentLeaseUUID: String?

  public init(
    projectID: String? = nil, ownerID: String? = nil, projectOrOwnerID: String? = nil,
    statuses: [LeaseStatus]? = LeaseStatus.listedByDefault, offerUUID: String? = nil, during: TimeWindow? = nil,
    resourceType: String? = nil, resourceUUID: String? = nil, name: String? = nil, parentLeaseUUID: String? = nil
  ) {
    self.projectID = projectID
    self.ownerID = ownerID
    self.projectOrOwnerID = projectOrOwnerID
    self.statuses = statuses
    self.offerUUID = offerUUID
    self.during = during
    self.resourceType = resourceType
    self.resourceUUID = resourceUUID
    self.name = name
    self.parentLeaseUUID = parentLeaseUUID
  }
}
