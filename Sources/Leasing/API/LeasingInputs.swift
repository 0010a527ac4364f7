import Foundation
import OpenStack

/// Reads request bodies and query strings field by field, so every refusal names the field and what was wrong
/// with it, and nothing is stored when anything is wrong.
struct FieldReader {
  let object: [String: Any]
  let what: String

  init(_ object: [String: Any], what: String, known: Set<String>, readOnly: Set<String>, ignored: Set<String> = [])
    throws
  {
    for key in object.keys.sorted() {
      if readOnly.contains(key) { throw LeasingError.invalid("\(what): field '\(key)' is read-only") }
      if !known.contains(key) && !ignored.contains(key) {
        throw LeasingError.invalid(
          "\(what): unknown field '\(key)' (known: \(known.sorted().joined(separator: ", ")))")
      }
    }
    self.object = object
    self.what = what
  }

  func string(_ key: String) throws -> String? {
    guard let value = object[key], !(value is NSNull) else { return nil }
    guard let text = value as? String else { throw LeasingError.invalid("\(what): field '\(key)' must be a string") }
    return text
  }

  func required(_ key: String) throws -> String {
    guard let text = try string(key), !text.isEmpty else {
      throw LeasingError.invalid("\(what): field '\(key)' is required")
    }
    return text
  }

  func date(_ key: String) throws -> Date? {
    guard let text = try string(key) else { return nil }
    return try LeasingInputs.parseDate(text, field: key)
  }

  func properties(_ key: String = "properties") throws -> [String: JSONValue] {
    guard let value = object[key], !(value is NSNull) else { return [:] }
    guard let dictionary = value as? [String: Any] else {
      throw LeasingError.invalid("\(what): field '\(key)' must be a JSON object")
    }
    // Through JSONDecoder, which keeps true/false apart from 1/0 (JSONSerialization's NSNumbers do not).
    guard let data = try? JSONSerialization.data(withJSONObject: dictionary),
      let decoded = try? JSONDecoder().decode([String: JSONValue].self, from: data)
    else { throw LeasingError.invalid("\(what): field '\(key)' is not a valid JSON object") }
    return decoded
  }
}

enum LeasingInputs {
  static func parseDate(_ text: String, field: String) throws -> Date {
    guard let date = LeasingDate.parse(text) else {
      throw LeasingError.invalid(
        "field '\(field)': '\(text)' is not a date; use ISO 8601 such as 2026-01-31T12:00:00 (UTC)")
    }
    return date
  }

  /// Both or neither; start strictly before end (esi-leap's InvalidTimeAPICommand).
  static func window(_ start: String?, _ end: String?, resource: String, startName: String, endName: String)
    throws -> TimeWindow?
  {
    let startDate = try start.map { try parseDate($0, field: startName) }
    let endDate = try end.map { try parseDate($0, field: endName) }
    switch (startDate, endDate) {
    case (nil, nil): return nil
    case (let start?, let end?) where start < end: return TimeWindow(start: start, end: end)
    default:
      throw LeasingError.invalid(
        "Attempted to get \(resource) resource without providing both a valid Start Time and End Time. Start Time must be strictly less than End Time. Got \(start ?? "None"), \(end ?? "None")."
      )
    }
  }
}

public struct OfferInput: Sendable {
  public var name: String?
  public var resourceType: String?
  public var resourceUUID: String
  public var lesseeID: String?
  public var startTime: Date?
  public var endTime: Date?
  public var properties: [String: JSONValue]

  public init(
    name: String? = nil, resourceType: String? = nil, resourceUUID: String, lesseeID: String? = nil,
    startTime: Date? = nil, endTime: Date? = nil, properties: [String: JSONValue] = [:]
  ) {
    self.name = name
    self.resourceType = resourceType
    self.resourceUUID = resourceUUID
    self.lesseeID = lesseeID
    self.startTime = startTime
    self.endTime = endTime
    self.properties = properties
  }

  public init(json: [String: Any]) throws {
    let reader = try FieldReader(
      json, what: "offer",
      known: ["name", "resource_type", "resource_uuid", "lessee_id", "start_time", "end_time", "properties"],
      readOnly: [
        "uuid", "project_id", "project", "lessee", "resource", "status", "availabilities", "parent_lease_uuid",
      ],
      ignored: ["resource_class"])
    self.init(
      name: try reader.string("name"), resourceType: try reader.string("resource_type"),
      resourceUUID: try reader.required("resource_uuid"), lesseeID: try reader.string("lessee_id"),
      startTime: try reader.date("start_time"), endTime: try reader.date("end_time"),
      properties: try reader.properties())
    if let startTime, let endTime, startTime >= endTime {
      throw LeaseRules.invalidWindowError("an offer", TimeWindow(start: startTime, end: endTime))
    }
  }
}

public struct ClaimInput: Sendable {
  public var name: String?
  public var startTime: Date?
  public var endTime: Date?
  public var properties: [String: JSONValue]

  public init(name: String? = nil, startTime: Date? = nil, endTime: Date? = nil, properties: [String: JSONValue] = [:])
  {
    self.name = name
    self.startTime = startTime
    self.endTime = endTime
    self.properties = properties
  }

  public init(json: [String: Any]) throws {
    // esi-leap fills project, resource and offer from the offer; clients may send them, they are ignored.
    let reader = try FieldReader(
      json, what: "lease", known: ["name", "start_time", "end_time", "properties", "purpose"],
      readOnly: ["uuid", "status", "fulfill_time", "expire_time"],
      ignored: ["project_id", "resource_type", "resource_uuid", "offer_uuid", "owner_id", "resource_class"])
    self.init(
      name: try reader.string("name"), startTime: try reader.date("start_time"), endTime: try reader.date("end_time"),
      properties: try reader.properties())
    if let startTime, let endTime, startTime >= endTime {
      throw LeaseRules.invalidWindowError("a lease", TimeWindow(start: startTime, end: endTime))
    }
  }
}

public struct LeaseInput: Sendable {
  public var name: String?
  public var projectID: String
  public var resourceType: String?
  public var resourceUUID: String
  public var startTime: Date?
  public var endTime: Date?
  public var properties: [String: JSONValue]
  public var purpose: String?

  public init(
    name: String? = nil, projectID: String, resourceType: String? = nil, resourceUUID: String, startTime: Date? = nil,
    endTime: Date? = nil, properties: [String: JSONValue] = [:], purpose: String? = nil
  ) {
    self.name = name
    self.projectID = projectID
    self.resourceType = resourceType
    self.resourceUUID = resourceUUID
    self.startTime = startTime
    self.endTime = endTime
    self.properties = properties
    self.purpose = purpose
  }

  public init(json: [String: Any]) throws {
    let reader = try FieldReader(
      json, what: "lease",
      known: [
        "name", "project_id", "resource_type", "resource_uuid", "start_time", "end_time", "properties", "purpose",
      ],
      readOnly: [
        "uuid", "owner_id", "owner", "project", "resource", "status", "fulfill_time", "expire_time", "offer_uuid",
        "parent_lease_uuid",
      ], ignored: ["resource_class"])
    self.init(
      name: try reader.string("name"), projectID: try reader.required("project_id"),
      resourceType: try reader.string("resource_type"), resourceUUID: try reader.required("resource_uuid"),
      startTime: try reader.date("start_time"), endTime: try reader.date("end_time"),
      properties: try reader.properties(), purpose: try reader.string("purpose"))
    if let startTime, let endTime, startTime >= endTime {
      throw LeaseRules.invalidWindowError("a lease", TimeWindow(start: startTime, end: endTime))
    }
  }
}

/// `GET /v1/offers` query parameters.
public struct OfferQuery: Sendable {
  public var projectID: String?
  public var resourceType: String?
  public var resourceUUID: String?
  public var resourceClass: String?
  public var window: TimeWindow?
  public var availableWindow: TimeWindow?
  /// nil = any (`status=any`).
  public var statuses: [OfferStatus]?

  public init(
    projectID: String? = nil, resourceType: String? = nil, resourceUUID: String? = nil, resourceClass: String? = nil,
    window: TimeWindow? = nil, availableWindow: TimeWindow? = nil, statuses: [OfferStatus]? = OfferStatus.canDelete
  ) {
    self.projectID = projectID
    self.resourceType = resourceType
    self.resourceUUID = resourceUUID
    self.resourceClass = resourceClass
    self.window = window
    self.availableWindow = availableWindow
    self.statuses = statuses
  }

  public init(parameters: [String: String]) throws {
    // Other parameters (`uuid`, `name`, `lessee`, … that esisdk may send) are ignored, as OpenStack APIs do.
    projectID = parameters["project_id"]
    resourceType = parameters["resource_type"]
    resourceUUID = parameters["resource_uuid"]
    resourceClass = parameters["resource_class"]
    window = try LeasingInputs.window(
      parameters["start_time"], parameters["end_time"], resource: "an offer", startName: "start_time",
      endName: "end_time")
    if parameters["available_start_time"] != nil || parameters["available_end_time"] != nil {
      guard
        let available = try? LeasingInputs.window(
          parameters["available_start_time"], parameters["available_end_time"], resource: "an offer",
          startName: "available_start_time", endName: "available_end_time")
      else {
        throw LeasingError.invalid(
          "Attempted to get an offer resource without providing both a valid Availability Start Time and Availability End Time. Availability Start Time must be strictly less than Availability End Time. Got \(parameters["available_start_time"] ?? "None"), \(parameters["available_end_time"] ?? "None")."
        )
      }
      availableWindow = available
    }
    switch parameters["status"] {
    case nil: statuses = OfferStatus.canDelete
    case "any": statuses = nil
    case let text?:
      guard let status = OfferStatus(rawValue: text) else {
        throw LeasingError.invalid(
          "status '\(text)' is not an offer status (\(OfferStatus.allCases.map(\.rawValue).joined(separator: ", ")), any)"
        )
      }
      statuses = [status]
    }
  }
}

/// `GET /v1/leases` query parameters.
public struct LeaseQuery: Sendable {
  public var projectID: String?
  public var ownerID: String?
  public var window: TimeWindow?
  public var statuses: [LeaseStatus]?
  public var offerUUID: String?
  public var view: String?
  public var resourceType: String?
  public var resourceUUID: String?
  public var resourceClass: String?

  public init(
    projectID: String? = nil, ownerID: String? = nil, window: TimeWindow? = nil,
    statuses: [LeaseStatus]? = LeaseStatus.listedByDefault, offerUUID: String? = nil, view: String? = nil,
    resourceType: String? = nil, resourceUUID: String? = nil, resourceClass: String? = nil
  ) {
    self.projectID = projectID
    self.ownerID = ownerID
    self.window = window
    self.statuses = statuses
    self.offerUUID = offerUUID
    self.view = view
    self.resourceType = resourceType
    self.resourceUUID = resourceUUID
    self.resourceClass = resourceClass
  }

  public init(parameters: [String: String]) throws {
    // Other parameters are ignored, as OpenStack APIs do.
    projectID = parameters["project_id"]
    ownerID = parameters["owner_id"]
    offerUUID = parameters["offer_uuid"]
    view = parameters["view"]
    if let view, view != "all" { throw LeasingError.invalid("view '\(view)' is not supported (only 'all')") }
    resourceType = parameters["resource_type"]
    resourceUUID = parameters["resource_uuid"]
    resourceClass = parameters["resource_class"]
    window = try LeasingInputs.window(
      parameters["start_time"], parameters["end_time"], resource: "a lease", startName: "start_time",
      endName: "end_time")
    switch parameters["status"] {
    case nil: statuses = LeaseStatus.listedByDefault
    case "any": statuses = nil
    case let text?:
      guard let status = LeaseStatus(rawValue: text) else {
        throw LeasingError.invalid(
          "status '\(text)' is not a lease status (\(LeaseStatus.allCases.map(\.rawValue).joined(separator: ", ")), any)"
        )
      }
      statuses = [status]
    }
  }
}
