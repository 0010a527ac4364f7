/// A project an image is shared with, and whether that project accepted it.
public struct ImageMember: Codable, Sendable, Equatable {
  public let image_id: String
  public let member_id: String
  /// `pending`, `accepted` or `rejected`.
  public let status: String
  public let created_at: String?
  public let updated_at: String?
}
