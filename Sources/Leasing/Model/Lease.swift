import Foundation
import OpenStack

/// A project's right to a resource for a window; the manager makes Ironic enforce it (lessee set while active).
public struct Lease: Sendable, Equatable {
  public var uuid: String
  public var name: String?
  /// The lessee project.
  public var projectID: String
  /// The project that owns the resource (or the parent lessee for a sub-lease).
  public var ownerID: String
  public var resourceType: String
  public var resourceUUID: String
  public var startTime: Date
  public var endTime: Date
  public var fulfillTime: Date?
  public var expireTime: Date?
  public var status: LeaseStatus
  public var properties: [String: JSONValue]
  public var offerUUID: String?
  public var parentLeaseUUID: String?
  public var purpose: String?

  public init(
    uuid: String = UUID().uuidString.lowercased(), name: String? = nil, projectID: String, ownerID: String,
    resourceType: String, resourceUUID: String, startTime: Date, endTime: Date, fulfillTime: Date? = nil,
    expireTime: Date? = nil, status: LeaseStatus = .created, properties: [String: JSONValue] = [:],
    offerUUID: String? = nil, parentLeaseUUID: String? = nil, purpose: String? = nil
  ) {
    self.uuid = uuid
    self.name = name
    self.projectID = projectID
    self.ownerID = ownerID
    self.resourceType = resourceType
    self.resourceUUID = resourceUUID
    self.startTime = startTime
    self.endTime = endTime
    self.fulfillTime = fulfillTime
    self.expireTime = expireTime
    self.status = status
    self.properties = properties
    self.offerUUID = offerUUID
    self.parentLeaseUUID = parentLeaseUUID
    self.purpose = purpose
  }

  public var window: TimeWindow { TimeWindow(start: startTime, end: endTime) }
}
