public struct Backup: Decodable, Sendable, Identifiable {
  public let id: String
  public let name: String?
  public let status: String
  public let volume_id: String?
  public let size: Int?
  public let created_at: String?
  public let fail_reason: String?
}

public struct BackupCreate: Encodable, Sendable {
  public var volume_id: String
  public var name: String?
  public var incremental: Bool?
  public var force: Bool?

  public init(volumeID: String, name: String? = nil, incremental: Bool? = nil, force: Bool? = nil) {
    self.volume_id = volumeID
    self.name = name
    self.incremental = incremental
    self.force = force
  }
}
