import Foundation
import OpenStack

/// An owner's (or a lessee's, for sub-leasing) promise that a resource may be claimed within a window.
public struct Offer: Sendable, Equatable {
  public var uuid: String
  public var name: String?
  /// The project that offers the resource.
  public var projectID: String
  /// When set, only this project may see and claim the offer.
  public var lesseeID: String?
  public var resourceType: String
  public var resourceUUID: String
  public var startTime: Date
  public var endTime: Date
  public var status: OfferStatus
  public var properties: [String: JSONValue]
  /// Set when the offer is a sub-offer made by the lessee of that lease.
  public var parentLeaseUUID: String?

  public init(
    uuid: String = UUID().uuidString.lowercased(), name: String? = nil, projectID: String, lesseeID: String? = nil,
    resourceType: String, resourceUUID: String, startTime: Date, endTime: Date, status: OfferStatus = .available,
    properties: [String: JSONValue] = [:], parentLeaseUUID: String? = nil
  ) {
    self.uuid = uuid
    self.name = name
    self.projectID = projectID
    self.lesseeID = lesseeID
    self.resourceType = resourceType
    self.resourceUUID = resourceUUID
    self.startTime = startTime
    self.endTime = endTime
    self.status = status
    self.properties = properties
    self.parentLeaseUUID = parentLeaseUUID
  }

  public var window: TimeWindow { TimeWindow(start: startTime, end: endTime) }
}
