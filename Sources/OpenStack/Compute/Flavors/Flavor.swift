/// A Nova flavor. Fields that arrived with a microversion are optional and say which.
public struct Flavor: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let name: String
  public let vcpus: Int
  /// MiB.
  public let ram: Int
  /// GiB.
  public let disk: Int
  /// MiB; Nova sends `""` for none before 2.75.
  public let swap: Int
  public let ephemeral: Int
  public let isPublic: Bool
  public let disabled: Bool
  /// Since 2.55.
  public let description: String?
  /// Since 2.61 (inline in list and show).
  public let extraSpecs: [String: String]?

  enum CodingKeys: String, CodingKey {
    case id, name, vcpus, ram, disk, swap, description
    case ephemeral = "OS-FLV-EXT-DATA:ephemeral"
    case isPublic = "os-flavor-access:is_public"
    case disabled = "OS-FLV-DISABLED:disabled"
    case extraSpecs = "extra_specs"
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(String.self, forKey: .id)
    name = try container.decode(String.self, forKey: .name)
    vcpus = try container.decode(Int.self, forKey: .vcpus)
    ram = try container.decode(Int.self, forKey: .ram)
    disk = try container.decode(Int.self, forKey: .disk)
    if let number = try? container.decode(Int.self, forKey: .swap) {
      swap = number
    } else {
      swap = Int((try? container.decode(String.self, forKey: .swap)) ?? "") ?? 0
    }
    ephemeral = try container.decodeIfPresent(Int.self, forKey: .ephemeral) ?? 0
    isPublic = try container.decodeIfPresent(Bool.self, forKey: .isPublic) ?? true
    disabled = try container.decodeIfPresent(Bool.self, forKey: .disabled) ?? false
    description = try container.decodeIfPresent(String.self, forKey: .description)
    extraSpecs = try container.decodeIfPresent([String: String].self, forKey: .extraSpecs)
  }
}

public struct FlavorCreate: Encodable, Sendable, Equatable {
  public var name: String
  /// Kept when given, so flavors have the same id in every region; Nova generates one otherwise.
  public var id: String?
  public var vcpus: Int
  public var ram: Int
  public var disk: Int
  public var swap: Int?
  public var ephemeral: Int?
  public var isPublic: Bool?
  public var description: String?

  enum CodingKeys: String, CodingKey {
    case name, id, vcpus, ram, disk, swap, description
    case ephemeral = "OS-FLV-EXT-DATA:ephemeral"
    case isPublic = "os-flavor-access:is_public"
  }

  public init(
    name: String, id: String? = nil, vcpus: Int, ram: Int, disk: Int, swap: Int? = nil, ephemeral: Int? = nil,
    isPublic: Bool? = nil, description: String? = nil
  ) {
    self.name = name
    self.id = id
    self.vcpus = vcpus
    self.ram = ram
    self.disk = disk
    self.swap = swap
    self.ephemeral = ephemeral
    self.isPublic = isPublic
    self.description = description
  }
}

public struct FlavorAccess: Codable, Sendable, Equatable {
  public let flavorID: String
  public let tenantID: String

  enum CodingKeys: String, CodingKey {
    case flavorID = "flavor_id"
    case tenantID = "tenant_id"
  }
}
