/// One image as openstack-image-manager definition files describe it, with the file and line it came
/// from so every later message can point back at the definition.
public struct ImageDefinition: Sendable, Equatable {
  public var name: String
  public var enabled: Bool
  public var shortName: String?
  /// Glance `disk_format`.
  public var format: String
  public var login: String
  public var password: String?
  public var minDisk: Int
  public var minRAM: Int
  /// `active` or `deactivated`.
  public var status: String
  public var visibility: String
  /// Several versions side by side (`NAME (VERSION)`), the newest also under the plain name.
  public var multi: Bool
  /// Between name and version for single images (`NAME VERSION`); the peer's default is a space.
  public var separator: String
  /// Keep old versions instead of rotating them away.
  public var keep: Bool
  public var tags: [String]
  /// Image properties (scs-0102 metadata and `hw_*`), as strings for Glance.
  public var meta: [String: String]
  public var latestURL: String?
  public var latestChecksumURL: String?
  public var versions: [ImageVersion]
  public var location: SourceLocation
}

public struct ImageVersion: Sendable, Equatable {
  public var version: String
  public var url: String
  public var mirrorURL: String?
  public var checksum: ImageChecksum?
  public var checksumsURL: String?
  /// `YYYY-MM-DD`.
  public var buildDate: String?
  public var source: String?
  /// A fixed Glance image id for this version.
  public var id: String?
  public var hidden: Bool?
  public var visibility: String?
  public var imageDescription: String?
  public var osVersion: String?
  /// Properties that override the image's `meta` for this version.
  public var meta: [String: String]
  public var location: SourceLocation
}

/// `algorithm:hex`, e.g. `sha256:3c4a…`.
public struct ImageChecksum: Sendable, Equatable, CustomStringConvertible {
  public var algorithm: String
  public var hex: String

  public init?(_ text: String) {
    let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
    guard parts.count == 2, !parts[0].isEmpty, [32, 40, 64, 128].contains(parts[1].count),
      parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase })
    else { return nil }
    algorithm = parts[0].lowercased()
    hex = parts[1]
  }

  public var description: String { "\(algorithm):\(hex)" }
}

public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int

  public init(file: String, line: Int) {
    self.file = file
    self.line = line
  }

  public var description: String { "\(file):\(line)" }
}
