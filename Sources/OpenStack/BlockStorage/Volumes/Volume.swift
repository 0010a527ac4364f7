public struct Volume: Decodable, Sendable, Identifiable {
  public struct Attachment: Decodable, Sendable, Equatable {
    public let server_id: String?
    public let attachment_id: String?
    public let device: String?
  }

  public let id: String
  public let name: String?
  public let status: String
  /// GiB.
  public let size: Int
  public let volumeType: String?
  public let projectID: String?
  public let bootable: String?
  public let availabilityZone: String?
  public let attachments: [Attachment]?
  public let createdAt: String?

  enum CodingKeys: String, CodingKey {
    case id, name, status, size, bootable, attachments
    case volumeType = "volume_type"
    case projectID = "os-vol-tenant-attr:tenant_id"
    case availabilityZone = "availability_zone"
    case createdAt = "created_at"
  }
}

public struct VolumeCreate: Encodable, Sendable {
  public var name: String
  public var size: Int
  public var volume_type: String?
  public var imageRef: String?
  public var availability_zone: String?

  public init(name: String, size: Int, volumeType: String? = nil, imageRef: String? = nil, availabilityZone: String? = nil) {
    self.name = name
    self.size = size
    self.volume_type = volumeType
    self.imageRef = imageRef
    self.availability_zone = availabilityZone
  }
}

public struct VolumeType: Decodable, Sendable, Identifiable {
  public let id: String
  public let name: String
  public let description: String?
  public let is_public: Bool?
  public let extra_specs: [String: String]?
}
