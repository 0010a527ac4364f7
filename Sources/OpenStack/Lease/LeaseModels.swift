/// An offer as the leasing service (esi-leap API v1) returns it.
public struct LeaseOffer: Decodable, Sendable, Identifiable {
  public let uuid: String
  public let name: String?
  public let projectID: String?
  public let project: String?
  public let lesseeID: String?
  public let resourceType: String?
  public let resourceUUID: String?
  public let resource: String?
  public let resourceClass: String?
  public let startTime: String?
  public let endTime: String?
  public let status: String?
  public let availabilities: [[String]]?
  public let parentLeaseUUID: String?
  public let properties: [String: JSONValue]?

  public var id: String { uuid }

  enum CodingKeys: String, CodingKey {
    case uuid, name, project, resource, status, availabilities, properties
    case projectID = "project_id"
    case lesseeID = "lessee_id"
    case resourceType = "resource_type"
    case resourceUUID = "resource_uuid"
    case resourceClass = "resource_class"
    case startTime = "start_time"
    case endTime = "end_time"
    case parentLeaseUUID = "parent_lease_uuid"
  }
}

/// A lease as the leasing service returns it.
public struct LeaseRecord: Decodable, Sendable, Identifiable {
  public let uuid: String
  public let name: String?
  public let projectID: String?
  public let project: String?
  public let ownerID: String?
  public let owner: String?
  public let resourceType: String?
  public let resourceUUID: String?
  public let resource: String?
  public let startTime: String?
  public let endTime: String?
  public let fulfillTime: String?
  public let expireTime: String?
  public let status: String?
  public let offerUUID: String?
  public let parentLeaseUUID: String?

  public var id: String { uuid }

  enum CodingKeys: String, CodingKey {
    case uuid, name, project, owner, resource, status
    case projectID = "project_id"
    case ownerID = "owner_id"
    case resourceType = "resource_type"
    case resourceUUID = "resource_uuid"
    case startTime = "start_time"
    case endTime = "end_time"
    case fulfillTime = "fulfill_time"
    case expireTime = "expire_time"
    case offerUUID = "offer_uuid"
    case parentLeaseUUID = "parent_lease_uuid"
  }
}

/// A node with its offer and lease as `/v1/nodes` shows it.
public struct LeaseNode: Decodable, Sendable, Identifiable {
  public let uuid: String
  public let name: String?
  public let owner: String?
  public let lessee: String?
  public let provisionState: String?
  public let maintenance: String?
  public let offerUUID: String?
  public let leaseUUID: String?
  public let futureOffers: String?
  public let futureLeases: String?

  public var id: String { uuid }

  enum CodingKeys: String, CodingKey {
    case uuid, name, owner, lessee, maintenance
    case provisionState = "provision_state"
    case offerUUID = "offer_uuid"
    case leaseUUID = "lease_uuid"
    case futureOffers = "future_offers"
    case futureLeases = "future_leases"
  }
}
