public struct Backup: Decodable, Sendable, Identifiable {
  public let id: String
  public let name: String?
  public let status: String
  public let volumeID: String?
  public let size: Int?
  public let createdAt: String?
  public let failReason: String?

  enum CodingKeys: String, CodingKey {
    case id
    case name
    case status
    case volumeID = "volume_id"
    case size
    case createdAt = "created_at"
    case failReason = "fail_reason"
  }

  /// Cinder answers a create with only id, name and links; the status is then empty until the next get.
  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(String.self, forKey: .id)
    name = try container.decodeIfPresent(String.self, forKey: .name)
    status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
    volumeID = try container.decodeIfPresent(String.self, forKey: .volumeID)
    size = try container.decodeIfPresent(Int.self, forKey: .size)
    createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
    failReason = try container.decodeIfPresent(String.self, forKey: .failReason)
  }
}

public struct BackupCreate: Encodable, Sendable {
  public var volumeID: String
  public var name: String?
  public var incremental: Bool?
  public var force: Bool?

  public init(volumeID: String, name: String? = nil, incremental: Bool? = nil, force: Bool? = nil) {
    self.volumeID = volumeID
    self.name = name
    self.incremental = incremental
    self.force = force
  }

  enum CodingKeys: String, CodingKey {
    case volumeID = "volume_id"
    case name
    case incremental
    case force
  }
}
