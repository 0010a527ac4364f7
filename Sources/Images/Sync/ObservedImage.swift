import OpenStack

/// A Glance image as the planner sees it: custom properties flattened to strings so they compare
/// with definitions directly.
public struct ObservedImage: Sendable, Equatable {
  public var id: String
  public var name: String
  public var status: String
  public var visibility: String
  public var hidden: Bool
  public var owner: String?
  public var tags: [String]
  public var minDisk: Int
  public var minRAM: Int
  public var size: Int64?
  public var createdAt: String?
  /// Glance's `os_hash_algo`.
  public var hashAlgorithm: String?
  public var properties: [String: String]

  public init(
    id: String, name: String, status: String = "active", visibility: String = "public", hidden: Bool = false,
    owner: String? = nil, tags: [String] = [], minDisk: Int = 0, minRAM: Int = 0, size: Int64? = nil,
    createdAt: String? = nil, hashAlgorithm: String? = nil, properties: [String: String] = [:]
  ) {
    self.id = id
    self.name = name
    self.status = status
    self.visibility = visibility
    self.hidden = hidden
    self.owner = owner
    self.tags = tags
    self.minDisk = minDisk
    self.minRAM = minRAM
    self.size = size
    self.createdAt = createdAt
    self.hashAlgorithm = hashAlgorithm
    self.properties = properties
  }

  public init(_ image: Image) {
    var properties: [String: String] = [:]
    for (key, value) in image.properties {
      switch value {
      case .string(let text): properties[key] = text
      case .null: continue
      default: properties[key] = value.description
      }
    }
    self.init(
      id: image.id, name: image.name ?? "", status: image.status, visibility: image.visibility, hidden: image.hidden,
      owner: image.owner, tags: image.tags, minDisk: image.minDisk, minRAM: image.minRAM, size: image.size,
      createdAt: image.createdAt, hashAlgorithm: image.hashAlgorithm, properties: properties)
  }

  /// Every image carrying `tag`, hidden ones included (rotation must see what it hid before).
  public static func all(in images: ImagesAPI, tag: String) async throws -> [ObservedImage] {
    async let visible = images.list(visibility: "all", tag: tag).collect()
    async let hidden = images.list(visibility: "all", tag: tag, hidden: true).collect()
    var seen: Set<String> = []
    var result: [ObservedImage] = []
    for image in try await visible + hidden where seen.insert(image.id).inserted {
      result.append(ObservedImage(image))
    }
    return result
  }
}
