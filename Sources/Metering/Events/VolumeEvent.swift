import Foundation

/// A Cinder volume's lifecycle step (`volume.*.end`).
public struct VolumeEvent: Sendable, Hashable {
  public var action: VolumeAction
  public var volume: VolumeState
}

public enum VolumeAction: String, Sendable, Hashable, CaseIterable {
  case created, deleted, resized, attached, detached, updated, retyped

  init?(eventType: String) {
    switch eventType {
    case "volume.create.end": self = .created
    case "volume.delete.end": self = .deleted
    case "volume.resize.end": self = .resized
    case "volume.attach.end": self = .attached
    case "volume.detach.end": self = .detached
    case "volume.update.end": self = .updated
    case "volume.retype": self = .retyped
    default: return nil
    }
  }
}

public struct VolumeState: Sendable, Hashable {
  public var id: String
  public var projectID: String
  public var userID: String?
  public var name: String?
  public var sizeGB: Int
  /// The volume type's id as Cinder sends it.
  public var volumeType: String?
  /// available, in-use, deleting, error…
  public var status: String?
  public var availabilityZone: String?
  public var createdAt: Date?
  public var launchedAt: Date?
  /// Servers the volume is attached to (`volume_attachment[].instance_uuid`).
  public var attachedTo: [String]

  static func parse(_ p: PayloadFields) throws(NotificationError) -> VolumeState {
    guard let size = try p.int("size") else { throw .missingField(eventType: p.eventType, field: "payload.size") }
    var attached: [String] = []
    for a in try p.list("volume_attachment") ?? [] {
      if let server = try a.optionalString("instance_uuid") { attached.append(server) }
    }
    return VolumeState(
      id: try p.string("volume_id"), projectID: try p.requiredString("tenant_id", "project_id"),
      userID: try p.optionalString("user_id"), name: try p.firstString("display_name", "name"), sizeGB: size,
      volumeType: try p.optionalString("volume_type"), status: try p.optionalString("status"),
      availabilityZone: try p.optionalString("availability_zone"), createdAt: try p.date("created_at"),
      launchedAt: try p.date("launched_at"), attachedTo: attached)
  }
}
