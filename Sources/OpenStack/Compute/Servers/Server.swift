import Foundation

public struct Server: Decodable, Sendable, Identifiable {
  public let id: String
  public let name: String
  public let status: String
  public let projectID: String?
  public let userID: String?
  /// Since 2.47 the flavor is embedded; `originalName` names it.
  public let flavor: EmbeddedFlavor?
  public let image: EmbeddedImage?
  public let created: String?
  public let updated: String?
  public let vmState: String?
  public let powerState: Int?
  public let taskState: String?
  public let availabilityZone: String?
  public let host: String?
  public let metadata: [String: String]?
  public let addresses: [String: [Address]]?
  public let fault: Fault?
  public let locked: Bool?
  /// `OS-SRV-USG:launched_at`: when the server first ran, where Nova's usage accounting starts.
  public let launchedAt: String?

  public struct EmbeddedFlavor: Decodable, Sendable, Equatable {
    public let id: String?
    public let originalName: String?
    public let vcpus: Int?
    public let ram: Int?
    public let disk: Int?
    public let ephemeral: Int?
    public let swap: Int?
    public let extraSpecs: [String: String]?

    enum CodingKeys: String, CodingKey {
      case id
      case originalName = "original_name"
      case vcpus
      case ram
      case disk
      case ephemeral
      case swap
      case extraSpecs = "extra_specs"
    }
  }

  /// Nova sends `""` for a server booted from a volume and `{"id": …}` otherwise.
  public struct EmbeddedImage: Decodable, Sendable, Equatable {
    public let id: String?

    public init(from decoder: Decoder) throws {
      if let container = try? decoder.container(keyedBy: AnyKey.self) {
        id = try container.decodeIfPresent(String.self, forKey: AnyKey("id"))
      } else {
        id = nil
      }
    }
  }

  public struct Address: Decodable, Sendable, Equatable {
    public let addr: String
    public let version: Int
  }

  public struct Fault: Decodable, Sendable, Equatable {
    public let code: Int?
    public let message: String?
  }

  enum CodingKeys: String, CodingKey {
    case id, name, status, flavor, image, created, updated, metadata, addresses, fault, locked
    case projectID = "tenant_id"
    case userID = "user_id"
    case vmState = "OS-EXT-STS:vm_state"
    case powerState = "OS-EXT-STS:power_state"
    case taskState = "OS-EXT-STS:task_state"
    case availabilityZone = "OS-EXT-AZ:availability_zone"
    case host = "OS-EXT-SRV-ATTR:host"
    case launchedAt = "OS-SRV-USG:launched_at"
  }
}

public struct ServerCreate: Encodable, Sendable {
  public enum Networks: Sendable {
    case none
    case auto
    case networks([String])
    case ports([String])
  }

  public var name: String
  public var flavorRef: String
  /// Empty for a server that boots from a volume.
  public var imageRef: String?
  public var networks: Networks
  public var keyName: String?
  public var metadata: [String: String]?
  public var availabilityZone: String?
  public var securityGroups: [String]?
  /// Boot from a new volume made from the image, of this many GiB.
  public var bootVolumeSize: Int?
  public var deleteVolumeOnTermination: Bool
  /// cloud-init user data as text; sent base64-encoded, as Nova wants it.
  public var userData: String?

  public init(
    name: String, flavorRef: String, imageRef: String?, networks: Networks = .none, keyName: String? = nil,
    metadata: [String: String]? = nil, availabilityZone: String? = nil, securityGroups: [String]? = nil,
    bootVolumeSize: Int? = nil, deleteVolumeOnTermination: Bool = true
  ) {
    self.name = name
    self.flavorRef = flavorRef
    self.imageRef = imageRef
    self.networks = networks
    self.keyName = keyName
    self.metadata = metadata
    self.availabilityZone = availabilityZone
    self.securityGroups = securityGroups
    self.bootVolumeSize = bootVolumeSize
    self.deleteVolumeOnTermination = deleteVolumeOnTermination
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: AnyKey.self)
    try container.encode(name, forKey: AnyKey("name"))
    try container.encode(flavorRef, forKey: AnyKey("flavorRef"))
    switch networks {
    case .none: try container.encode("none", forKey: AnyKey("networks"))
    case .auto: try container.encode("auto", forKey: AnyKey("networks"))
    case .networks(let ids): try container.encode(ids.map { ["uuid": $0] }, forKey: AnyKey("networks"))
    case .ports(let ids): try container.encode(ids.map { ["port": $0] }, forKey: AnyKey("networks"))
    }
    try container.encodeIfPresent(keyName, forKey: AnyKey("key_name"))
    try container.encodeIfPresent(metadata, forKey: AnyKey("metadata"))
    try container.encodeIfPresent(availabilityZone, forKey: AnyKey("availability_zone"))
    try container.encodeIfPresent(
      userData.map { Data($0.utf8).base64EncodedString() }, forKey: AnyKey("user_data"))
    try container.encodeIfPresent(securityGroups?.map { ["name": $0] }, forKey: AnyKey("security_groups"))
    if let bootVolumeSize, let imageRef {
      let mapping: [String: JSONValue] = [
        "boot_index": 0, "uuid": .string(imageRef), "source_type": "image", "destination_type": "volume",
        "volume_size": .int(bootVolumeSize), "delete_on_termination": .bool(deleteVolumeOnTermination),
      ]
      try container.encode([mapping], forKey: AnyKey("block_device_mapping_v2"))
      try container.encode("", forKey: AnyKey("imageRef"))
    } else {
      try container.encode(imageRef ?? "", forKey: AnyKey("imageRef"))
    }
  }
}
