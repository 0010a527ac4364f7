/// An image a step acts on: one that exists, or one imported earlier in the same run (its id is only
/// known once Glance created it).
public enum ImageReference: Sendable, Equatable, CustomStringConvertible {
  case id(String)
  case imported(name: String)

  public var description: String {
    switch self {
    case .id(let id): id
    case .imported(let name): "the image imported as '\(name)'"
    }
  }
}

/// One new image: created private with all its metadata, filled from `url`, verified against
/// `checksum`, and only then given its visibility.
public struct ImportJob: Sendable, Equatable {
  public var definition: String
  public var version: String
  public var name: String
  /// Where the bytes come from (`mirror_url` when given, else `url`): http(s) or file.
  public var url: String
  public var checksum: ImageChecksum?
  public var diskFormat: String
  public var containerFormat: String
  /// A fixed Glance id from the definition.
  public var id: String?
  public var minDisk: Int
  public var minRAM: Int
  public var properties: [String: String]
  public var tags: [String]
  public var visibility: String
  public var hidden: Bool
  /// The definition wants the image `deactivated`.
  public var deactivate: Bool

  public init(
    definition: String, version: String, name: String, url: String, checksum: ImageChecksum?, diskFormat: String,
    containerFormat: String = "bare", id: String? = nil, minDisk: Int, minRAM: Int, properties: [String: String],
    tags: [String], visibility: String, hidden: Bool = false, deactivate: Bool = false
  ) {
    self.definition = definition
    self.version = version
    self.name = name
    self.url = url
    self.checksum = checksum
    self.diskFormat = diskFormat
    self.containerFormat = containerFormat
    self.id = id
    self.minDisk = minDisk
    self.minRAM = minRAM
    self.properties = properties
    self.tags = tags
    self.visibility = visibility
    self.hidden = hidden
    self.deactivate = deactivate
  }
}

/// Field changes to an existing image, all from one comparison with its definition.
public struct ImagePatch: Sendable, Equatable {
  public var properties: [String: String] = [:]
  public var minDisk: Int?
  public var minRAM: Int?
  public var visibility: String?
  public var hidden: Bool?
  public var addTags: [String] = []
  public var removeTags: [String] = []
  /// `true`: reactivate, `false`: deactivate.
  public var active: Bool?

  public init() {}

  public var isEmpty: Bool {
    properties.isEmpty && minDisk == nil && minRAM == nil && visibility == nil && hidden == nil && addTags.isEmpty
      && removeTags.isEmpty && active == nil
  }
}

/// The Glance call sequence behind one planned change.
public enum ImageOperation: Sendable, Equatable {
  case importImage(ImportJob)
  case rename(ImageReference, to: String)
  case update(imageID: String, ImagePatch)
  /// Take an outdated version out of use but keep it (its id stays valid).
  case retire(imageID: String, hide: Bool, useOSHidden: Bool, deactivate: Bool)
  case delete(imageID: String)

  /// Renames and rotation only make sense when the imports before them in the same image succeeded.
  var needsEarlierSuccess: Bool {
    switch self {
    case .rename, .retire, .delete: true
    case .importImage, .update: false
    }
  }
}
