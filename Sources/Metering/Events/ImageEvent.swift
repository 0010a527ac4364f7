import Foundation

/// A Glance image's lifecycle step. Glance sends the whole image (`format_image_notification`: id, owner,
/// status, size, name, visibility, created_at/updated_at, deleted_at) with every image event, so each one
/// says what the image looked like at its timestamp. An upload sends `image.update` (saving), `image.prepare`,
/// `image.upload` (active, with the size), `image.activate` and `image.update` within milliseconds; a
/// deletion sends `image.delete` with status `deleted` (or `pending_delete` under delayed delete).
public struct ImageEvent: Sendable, Hashable {
  public var action: ImageAction
  public var image: ImageState
}

public enum ImageAction: String, Sendable, Hashable, CaseIterable {
  case created, updated, uploaded, activated, deleted

  /// Only the events that carry the image: `image.prepare` repeats the state before the data arrives,
  /// `image.send` (a download) and `image.member.*` describe something else.
  init?(eventType: String) {
    switch eventType {
    case "image.create": self = .created
    case "image.update": self = .updated
    case "image.upload": self = .uploaded
    case "image.activate": self = .activated
    case "image.delete": self = .deleted
    default: return nil
    }
  }
}

public struct ImageState: Sendable, Hashable {
  public var id: String
  /// The owner project, which pays for the stored bytes; Glance allows none (an image an admin created
  /// without a project).
  public var projectID: String?
  public var name: String?
  /// queued, saving, uploading, importing, active, deactivated, killed, deleted, pending_delete.
  public var status: String
  /// Bytes stored; null until the data is uploaded.
  public var sizeBytes: Int64?
  public var visibility: String?
  public var createdAt: Date?
  public var updatedAt: Date?
  public var deletedAt: Date?
  /// `deleted: true` in `image.delete`.
  public var isDeleted: Bool

  static func parse(_ p: PayloadFields) throws(NotificationError) -> ImageState {
    let size = try p.int("size")
    if let size, size < 0 {
      throw .invalidField(eventType: p.eventType, field: "payload.size", reason: "\(size) is negative")
    }
    return ImageState(
      id: try p.string("id"), projectID: try p.firstString("owner", "project_id"), name: try p.optionalString("name"),
      status: try p.optionalString("status") ?? "unknown", sizeBytes: size.map(Int64.init),
      visibility: try p.optionalString("visibility"), createdAt: try p.date("created_at"),
      updatedAt: try p.date("updated_at"), deletedAt: try p.date("deleted_at"),
      isDeleted: try p.bool("deleted") ?? false)
  }
}
