/// What the scs-0102 checks need to know about one Glance image, without depending on an OpenStack
/// client, so the same rules serve `steward images check` and the compliance module.
public struct ImageMetadataRecord: Sendable, Equatable {
  public var name: String
  public var visibility: String
  public var isHidden: Bool
  /// Glance's `created_at` (`2026-11-01T12:00:00Z`), the registration date.
  public var createdAt: String
  public var size: Int64
  /// GiB.
  public var minDisk: Int
  /// MiB.
  public var minRAM: Int
  /// Glance's `os_hash_algo`.
  public var hashAlgorithm: String?
  /// Custom properties (`architecture`, `hw_disk_bus`, `os_distro`, `replace_frequency`, …) as strings.
  public var properties: [String: String]

  public init(
    name: String, visibility: String = "public", isHidden: Bool = false, createdAt: String, size: Int64 = 0,
    minDisk: Int = 0, minRAM: Int = 0, hashAlgorithm: String? = nil, properties: [String: String] = [:]
  ) {
    self.name = name
    self.visibility = visibility
    self.isHidden = isHidden
    self.createdAt = createdAt
    self.size = size
    self.minDisk = minDisk
    self.minRAM = minRAM
    self.hashAlgorithm = hashAlgorithm
    self.properties = properties
  }

  subscript(_ key: String) -> String? { properties[key] }
}
