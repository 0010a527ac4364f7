public struct Volume: Decodable, Sendable, Identifiable {
  public struct Attachment: Decodable, Sendable, Equatable {
    public let serverID: String?
    public let attachmentID: String?
    public let device: String?

    enum CodingKeys: String, CodingKey {
      case serverID = "server_id"
      case attachmentID = "attachment_id"
      case device
    }
  }

  public let id: String
  public let name: String?
  public let status: String
  /// GiB.
  public let size: Int
  public let volumeType: String?
  /// Since 3.63: the type's id, which is what Cinder's notifications carry as `volume_type`.
  public let volumeTypeID: String?
  public let projectID: String?
  public let bootable: String?
  public let availabilityZone: String?
  public let attachments: [Attachment]?
  public let createdAt: String?

  enum CodingKeys: String, CodingKey {
    case id, name, status, size, bootable, attachments
    case volumeType = "volume_type"
    case volumeTypeID = "volume_type_id"
    case projectID = "os-vol-tenant-attr:tenant_id"
    case availabilityZone = "availability_zone"
    case createdAt = "created_at"
  }
}

public struct VolumeCreate: Encodable, Sendable {
  public var name: String
  public var size: Int
  public var volumeType: String?
  public var imageRef: String?
  public var availabilityZone: String?

  public init(
    name: String, size: Int, volumeType: String? = nil, imageRef: String? = nil, availabilityZone: String? = nil
  ) {
    self.name = name
    self.size = size
    self.volumeType = volumeType
    self.imageRef = imageRef
    self.availabilityZone = availabilityZone
  }

  enum CodingKeys: String, CodingKey {
    case name
    case size
    case volumeType = "volume_type"
    case imageRef
    case availabilityZone = "availability_zone"
  }
}

public struct VolumeType: Decodable, Sendable, Identifiable {
  public let id: String
  public let name: String
  public let description: String?
  public let isPublic: Bool?
  public let extraSpecs: [String: String]?

  enum CodingKeys: String, CodingKey {
    case id
    case name
    case description
    case isPublic = "is_public"
    case extraSpecs = "extra_specs"
  }
}
