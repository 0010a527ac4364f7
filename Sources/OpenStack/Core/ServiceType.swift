import NIOHTTP1

/// What Steward knows about an OpenStack API: its catalog type, the version path its resources live
/// under, and how it is told a microversion. Adding a service means adding one constant here.
public struct ServiceType: Sendable, Hashable, CustomStringConvertible {
  public let type: String
  /// Appended to a catalog endpoint that does not already name a version (`v2` for Glance at `:9292`).
  let versionPath: String?
  let microversionStyle: MicroversionStyle?
  /// The highest microversion Steward's models are written for; the session negotiates
  /// `min(this, the service's maximum)`.
  let highestKnown: Microversion?
  /// What a service that publishes no range speaks (its API's first microversion).
  let baseMicroversion: Microversion?

  enum MicroversionStyle: Sendable, Hashable {
    /// `OpenStack-API-Version: <name> X.Y` plus an optional legacy header.
    case standard(name: String, legacyHeader: String?)
    /// Ironic's own `X-OpenStack-Ironic-API-Version: X.Y`.
    case header(String)
  }

  public var description: String { type }

  init(
    type: String, versionPath: String?, microversionStyle: MicroversionStyle?, highestKnown: Microversion?,
    baseMicroversion: Microversion? = nil
  ) {
    self.type = type
    self.versionPath = versionPath
    self.microversionStyle = microversionStyle
    self.highestKnown = highestKnown
    self.baseMicroversion = baseMicroversion
  }

  func microversionHeaders(_ version: Microversion) -> HTTPHeaders {
    switch microversionStyle {
    case .standard(let name, let legacy):
      var headers: HTTPHeaders = ["OpenStack-API-Version": "\(name) \(version)"]
      if let legacy { headers.add(name: legacy, value: version.description) }
      return headers
    case .header(let name):
      return [name: version.description]
    case nil:
      return [:]
    }
  }

  public static let identity = ServiceType(
    type: "identity", versionPath: "v3", microversionStyle: nil, highestKnown: nil)
  public static let compute = ServiceType(
    type: "compute", versionPath: "v2.1",
    microversionStyle: .standard(name: "compute", legacyHeader: "X-OpenStack-Nova-API-Version"),
    highestKnown: Microversion(2, 96), baseMicroversion: Microversion(2, 1))
  public static let image = ServiceType(
    type: "image", versionPath: "v2", microversionStyle: nil, highestKnown: nil)
  public static let network = ServiceType(
    type: "network", versionPath: "v2.0", microversionStyle: nil, highestKnown: nil)
  public static let baremetal = ServiceType(
    type: "baremetal", versionPath: "v1", microversionStyle: .header("X-OpenStack-Ironic-API-Version"),
    highestKnown: Microversion(1, 87), baseMicroversion: Microversion(1, 1))
  public static let blockStorage = ServiceType(
    type: "block-storage", versionPath: "v3", microversionStyle: .standard(name: "volume", legacyHeader: nil),
    highestKnown: Microversion(3, 70), baseMicroversion: Microversion(3, 0))
  public static let placement = ServiceType(
    type: "placement", versionPath: nil, microversionStyle: .standard(name: "placement", legacyHeader: nil),
    highestKnown: Microversion(1, 39), baseMicroversion: Microversion(1, 0))
  public static let keyManager = ServiceType(
    type: "key-manager", versionPath: "v1", microversionStyle: nil, highestKnown: nil)
  /// Heat: its catalog endpoint already names the version and project (`…:8004/v1/<project>`).
  public static let orchestration = ServiceType(
    type: "orchestration", versionPath: nil, microversionStyle: nil, highestKnown: nil)
  /// The bare-metal leasing service (esi-leap's API, served by `steward serve`); catalog type `lease`.
  public static let lease = ServiceType(
    type: "lease", versionPath: "v1", microversionStyle: nil, highestKnown: nil)
}
