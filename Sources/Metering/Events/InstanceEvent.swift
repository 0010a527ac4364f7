import Foundation

/// A server's lifecycle step (`compute.instance.*.end` unversioned, or `instance.*.end` versioned).
public struct InstanceEvent: Sendable, Hashable {
  public var action: InstanceAction
  public var instance: InstanceState
}

public enum InstanceAction: String, Sendable, Hashable, CaseIterable {
  case created, deleted
  /// `finish_resize.end`/`resize.end`: the server runs on the new flavor (state `resized`, awaiting confirmation).
  case resized
  case resizeConfirmed, resizeReverted
  case poweredOn, poweredOff, suspended, resumed, paused, unpaused
  case shelved, shelveOffloaded, unshelved
  case rebuilt
  /// `compute.instance.update` / `instance.update`: any state or attribute change.
  case updated

  /// Both spellings: `compute.instance.resize.confirm.end` and versioned `instance.resize_confirm.end`.
  init?(eventType: String) {
    var name = Substring(eventType)
    if name.hasPrefix("compute.instance.") {
      name = name.dropFirst("compute.instance.".count)
    } else if name.hasPrefix("instance.") {
      name = name.dropFirst("instance.".count)
    } else {
      return nil
    }
    if name == "update" {
      self = .updated
      return
    }
    guard name.hasSuffix(".end") else { return nil }
    switch name.dropLast(4).replacingOccurrences(of: ".", with: "_") {
    case "create": self = .created
    case "delete": self = .deleted
    case "finish_resize", "resize_finish", "resize": self = .resized
    case "resize_confirm": self = .resizeConfirmed
    case "resize_revert": self = .resizeReverted
    case "power_on": self = .poweredOn
    case "power_off": self = .poweredOff
    case "suspend": self = .suspended
    case "resume": self = .resumed
    case "pause": self = .paused
    case "unpause": self = .unpaused
    case "shelve": self = .shelved
    case "shelve_offload": self = .shelveOffloaded
    case "unshelve": self = .unshelved
    case "rebuild": self = .rebuilt
    default: return nil
    }
  }
}

/// A server as a notification describes it. The flavor is what the server occupies at the event's time.
public struct InstanceState: Sendable, Hashable {
  public var id: String
  public var projectID: String
  public var userID: String?
  public var name: String?
  public var flavor: Flavor
  /// Nova's vm_state: active, stopped, suspended, paused, shelved, shelved_offloaded, resized, deleted, error…
  public var state: String?
  public var host: String?
  public var availabilityZone: String?
  public var imageID: String?
  public var createdAt: Date?
  public var launchedAt: Date?
  public var deletedAt: Date?
  public var terminatedAt: Date?
  public var metadata: [String: String]

  public struct Flavor: Sendable, Hashable {
    /// The flavor's name (`instance_type`), which is what Nova's usage reports show.
    public var name: String?
    /// The flavor's API id (`instance_flavor_id` / `flavorid`).
    public var id: String?
    public var vcpus: Int?
    public var memoryMB: Int?
    public var rootGB: Int?
    public var ephemeralGB: Int?
  }

  static func parse(_ payload: PayloadFields) throws(NotificationError) -> InstanceState {
    if let versioned = try payload.fields("nova_object.data") { return try parseVersioned(versioned) }
    let p = payload
    return InstanceState(
      id: try p.string("instance_id"), projectID: try p.requiredString("tenant_id", "project_id"),
      userID: try p.optionalString("user_id"), name: try p.optionalString("display_name"),
      flavor: Flavor(
        name: try p.optionalString("instance_type"), id: try p.optionalString("instance_flavor_id"),
        vcpus: try p.int("vcpus"), memoryMB: try p.int("memory_mb"), rootGB: try p.int("root_gb"),
        ephemeralGB: try p.int("ephemeral_gb")),
      state: try p.optionalString("state"), host: try p.optionalString("host"),
      availabilityZone: try p.optionalString("availability_zone"),
      imageID: try imageID(p),
      createdAt: try p.date("created_at"), launchedAt: try p.date("launched_at"), deletedAt: try p.date("deleted_at"),
      terminatedAt: try p.date("terminated_at"), metadata: p.metadata("metadata"))
  }

  private static func imageID(_ p: PayloadFields) throws(NotificationError) -> String? {
    if let id = try p.fields("image_meta")?.optionalString("base_image_ref") { return id }
    return try p.optionalString("image_ref")
  }

  /// Nova's versioned InstancePayload (`nova_object.data`, flavor as a nested FlavorPayload).
  private static func parseVersioned(_ p: PayloadFields) throws(NotificationError) -> InstanceState {
    let flavor = try p.fields("flavor")?.fields("nova_object.data")
    return InstanceState(
      id: try p.string("uuid"), projectID: try p.string("tenant_id"), userID: try p.optionalString("user_id"),
      name: try p.optionalString("display_name"),
      flavor: Flavor(
        name: try flavor?.optionalString("name"), id: try flavor?.optionalString("flavorid"),
        vcpus: try flavor?.int("vcpus"), memoryMB: try flavor?.int("memory_mb"), rootGB: try flavor?.int("root_gb"),
        ephemeralGB: try flavor?.int("ephemeral_gb")),
      state: try p.optionalString("state"), host: try p.optionalString("host"),
      availabilityZone: try p.optionalString("availability_zone"), imageID: try p.optionalString("image_uuid"),
      createdAt: try p.date("created_at"), launchedAt: try p.date("launched_at"), deletedAt: try p.date("deleted_at"),
      terminatedAt: try p.date("terminated_at"), metadata: p.metadata("metadata"))
  }
}
