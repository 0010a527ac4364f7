/// A Glance image. Glance puts custom properties beside its own fields, so everything not modelled
/// here lands in `properties` (SCS metadata such as `os_distro`, `image_build_date`, `hw_*`).
public struct Image: Decodable, Sendable, Identifiable {
  public let id: String
  public let name: String?
  public let status: String
  public let visibility: String
  public let owner: String?
  public let diskFormat: String?
  public let containerFormat: String?
  public let size: Int64?
  public let checksum: String?
  public let hashAlgorithm: String?
  public let hashValue: String?
  public let minDisk: Int
  public let minRAM: Int
  public let protected: Bool
  public let hidden: Bool
  public let tags: [String]
  public let createdAt: String?
  public let updatedAt: String?
  /// Every other key Glance returned, as sent.
  public let properties: [String: JSONValue]

  static let modelledKeys: Set<String> = [
    "id", "name", "status", "visibility", "owner", "disk_format", "container_format", "size", "checksum",
    "os_hash_algo", "os_hash_value", "min_disk", "min_ram", "protected", "os_hidden", "tags", "created_at",
    "updated_at", "self", "file", "schema", "virtual_size", "locations", "direct_url", "stores",
  ]

  public init(from decoder: Decoder) throws {
    let all = try decoder.singleValueContainer().decode([String: JSONValue].self)
    guard let id = all["id"]?.stringValue else {
      throw DecodingError.keyNotFound(AnyKey("id"), .init(codingPath: [], debugDescription: "image without id"))
    }
    self.id = id
    name = all["name"]?.stringValue
    status = all["status"]?.stringValue ?? ""
    visibility = all["visibility"]?.stringValue ?? ""
    owner = all["owner"]?.stringValue
    diskFormat = all["disk_format"]?.stringValue
    containerFormat = all["container_format"]?.stringValue
    size = all["size"]?.intValue.map(Int64.init)
    checksum = all["checksum"]?.stringValue
    hashAlgorithm = all["os_hash_algo"]?.stringValue
    hashValue = all["os_hash_value"]?.stringValue
    minDisk = all["min_disk"]?.intValue ?? 0
    minRAM = all["min_ram"]?.intValue ?? 0
    protected = all["protected"]?.boolValue ?? false
    hidden = all["os_hidden"]?.boolValue ?? false
    tags = all["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
    createdAt = all["created_at"]?.stringValue
    updatedAt = all["updated_at"]?.stringValue
    properties = all.filter { !Self.modelledKeys.contains($0.key) }
  }
}

public struct ImageCreate: Encodable, Sendable {
  public var name: String
  public var id: String?
  public var diskFormat: String
  public var containerFormat: String
  public var visibility: String?
  public var minDisk: Int?
  public var minRAM: Int?
  public var protected: Bool?
  public var hidden: Bool?
  public var tags: [String]?
  /// Custom properties; Glance takes string values.
  public var properties: [String: String]

  public init(
    name: String, id: String? = nil, diskFormat: String = "raw", containerFormat: String = "bare",
    visibility: String? = nil, minDisk: Int? = nil, minRAM: Int? = nil, protected: Bool? = nil,
    hidden: Bool? = nil, tags: [String]? = nil, properties: [String: String] = [:]
  ) {
    self.name = name
    self.id = id
    self.diskFormat = diskFormat
    self.containerFormat = containerFormat
    self.visibility = visibility
    self.minDisk = minDisk
    self.minRAM = minRAM
    self.protected = protected
    self.hidden = hidden
    self.tags = tags
    self.properties = properties
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: AnyKey.self)
    for (key, value) in properties { try container.encode(value, forKey: AnyKey(key)) }
    try container.encode(name, forKey: AnyKey("name"))
    try container.encodeIfPresent(id, forKey: AnyKey("id"))
    try container.encode(diskFormat, forKey: AnyKey("disk_format"))
    try container.encode(containerFormat, forKey: AnyKey("container_format"))
    try container.encodeIfPresent(visibility, forKey: AnyKey("visibility"))
    try container.encodeIfPresent(minDisk, forKey: AnyKey("min_disk"))
    try container.encodeIfPresent(minRAM, forKey: AnyKey("min_ram"))
    try container.encodeIfPresent(protected, forKey: AnyKey("protected"))
    try container.encodeIfPresent(hidden, forKey: AnyKey("os_hidden"))
    try container.encodeIfPresent(tags, forKey: AnyKey("tags"))
  }
}

/// How Glance should fetch or receive an image's data (`POST /v2/images/{id}/import`).
public enum ImportMethod: Sendable, Equatable {
  case webDownload(uri: String)
  case glanceDirect
  case copyImage(stores: [String])

  var body: JSONValue {
    switch self {
    case .webDownload(let uri): return ["method": ["name": "web-download", "uri": .string(uri)]]
    case .glanceDirect: return ["method": ["name": "glance-direct"]]
    case .copyImage(let stores):
      return ["method": ["name": "copy-image"], "stores": .array(stores.map { .string($0) })]
    }
  }
}
