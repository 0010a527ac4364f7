import Foundation

/// One quota of one project: the limit (-1 for unlimited), what is in use and what is reserved, as Nova's
/// `os-quota-sets/{id}/detail`, Cinder's `?usage=true` and Neutron's `quotas/{id}/details` report it.
public struct QuotaUsage: Sendable, Equatable, Codable {
  public var limit: Int
  public var inUse: Int
  public var reserved: Int

  public init(limit: Int, inUse: Int = 0, reserved: Int = 0) {
    self.limit = limit
    self.inUse = inUse
    self.reserved = reserved
  }

  enum CodingKeys: String, CodingKey {
    case limit, reserved
    case inUse = "in_use"
    case used
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    limit = try container.decodeIfPresent(Int.self, forKey: .limit) ?? -1
    inUse =
      try container.decodeIfPresent(Int.self, forKey: .inUse) ?? container.decodeIfPresent(Int.self, forKey: .used)
      ?? 0
    reserved = try container.decodeIfPresent(Int.self, forKey: .reserved) ?? 0
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(limit, forKey: .limit)
    try container.encode(inUse, forKey: .inUse)
    try container.encode(reserved, forKey: .reserved)
  }

  /// Reads a quota-set object whose values are either usage objects or plain limits; other keys (`id`) are
  /// skipped.
  static func decodeSet(_ object: [String: JSONValue]) -> [String: QuotaUsage] {
    var result: [String: QuotaUsage] = [:]
    for (name, value) in object {
      if let limit = value.intValue {
        result[name] = QuotaUsage(limit: limit)
      } else if let fields = value.objectValue {
        result[name] = QuotaUsage(
          limit: fields["limit"]?.intValue ?? -1,
          inUse: fields["in_use"]?.intValue ?? fields["used"]?.intValue ?? 0,
          reserved: fields["reserved"]?.intValue ?? 0)
      }
    }
    return result
  }
}
