import Foundation

/// The catalog that came with a token, and the one rule for picking an endpoint from it.
public struct ServiceCatalog: Sendable {
  public struct Service: Sendable, Codable, Equatable {
    public let id: String?
    public let type: String
    public let name: String?
    public let endpoints: [Endpoint]
  }

  public struct Endpoint: Sendable, Codable, Equatable {
    public let id: String?
    public let interface: String
    public let regionID: String?
    public let region: String?
    public let url: String

    public var regionName: String? { regionID ?? region }

    enum CodingKeys: String, CodingKey {
      case id
      case interface
      case regionID = "region_id"
      case region
      case url
    }
  }

  public let services: [Service]

  /// Service types that name the same API; the first is the official name (service-types-authority).
  static let aliases: [[String]] = [
    ["block-storage", "volumev3", "volumev2", "volume", "block-store"],
    ["baremetal", "bare-metal"],
    ["load-balancer", "octavia"],
    ["key-manager"],
    ["orchestration"],
  ]

  static func typeNames(for type: String) -> [String] {
    aliases.first { $0.contains(type) } ?? [type]
  }

  /// The endpoint URL for a service type, interface and (when set) region. Aliases are tried in order,
  /// so `block-storage` finds a `volumev3` entry.
  public func endpoint(type: String, interface: String, region: String?) throws -> String {
    let names = Self.typeNames(for: type)
    for name in names {
      for service in services where service.type == name {
        let candidates = service.endpoints.filter { endpoint in
          endpoint.interface == interface && (region == nil || endpoint.regionName == region)
        }
        if let endpoint = candidates.first { return endpoint.url }
      }
    }
    let offered = services.filter { names.contains($0.type) }
    if offered.isEmpty {
      throw OpenStackError.endpointNotFound("the catalog has no '\(type)' service")
    }
    let available = offered.flatMap(\.endpoints).map { "\($0.interface)@\($0.regionName ?? "-")" }
    throw OpenStackError.endpointNotFound(
      "the catalog has no \(interface) '\(type)' endpoint"
        + (region.map { " in region \($0)" } ?? "") + " (available: \(available.joined(separator: ", ")))")
  }
}
