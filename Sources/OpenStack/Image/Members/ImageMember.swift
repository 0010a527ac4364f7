/// A project an image is shared with, and whether that project accepted it.
public struct ImageMember: Codable, Sendable, Equatable {
  public let imageID: String
  public let memberID: String
  /// `pending`, `accepted` or `rejected`.
  public let status: String
  public let createdAt: String?
  public let updatedAt: String?

  enum CodingKeys: String, CodingKey {
    case imageID = "image_id"
    case memberID = "member_id"
    case status
    case createdAt = "created_at"
    case updatedAt = "updated_at"
  }
}
