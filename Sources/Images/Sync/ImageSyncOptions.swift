import Foundation

/// What a sync may do beyond importing and repairing the defined images; named after
/// openstack-image-manager's options.
public struct ImageSyncOptions: Sendable {
  /// How outdated versions (per `uuid_validity`) are taken out of use. Several may be combined; with
  /// none of them, outdated versions are only reported.
  public struct Rotation: Sendable, Equatable {
    /// Hide old versions: visibility `community` (still usable by id, not listed), or `os_hidden` with
    /// `useOSHidden`.
    public var hide: Bool
    public var useOSHidden: Bool
    public var deactivate: Bool
    /// Delete versions past their `uuid_validity`; only honoured together with `confirmDelete`.
    public var delete: Bool
    public var confirmDelete: Bool

    public init(
      hide: Bool = false, useOSHidden: Bool = false, deactivate: Bool = false, delete: Bool = false,
      confirmDelete: Bool = false
    ) {
      self.hide = hide
      self.useOSHidden = useOSHidden
      self.deactivate = deactivate
      self.delete = delete
      self.confirmDelete = confirmDelete
    }
  }

  /// Only definitions whose name matches (`re.search` semantics: anywhere in the name).
  public var filter: String?
  /// Import only the newest version of each image.
  public var latest: Bool
  /// The tag that marks images this manager owns; only images with it are ever changed.
  public var tag: String
  public var rotation: Rotation
  /// Keep versions of single (non-multi) images that are no longer defined.
  public var keep: Bool
  /// Import disabled definitions too (`enable: false`).
  public var force: Bool
  /// How many images are imported at the same time.
  public var maxParallel: Int
  /// How long one import (check, transfer, verification) may take.
  public var importTimeout: Duration
  /// How long the source URL check may take.
  public var sourceTimeout: Duration
  /// Leave `web-download` aside and stream every image through this host.
  public var uploadOnly: Bool
  /// The project of the session; images owned by others are only managed when public.
  public var projectID: String?
  /// Today, for dated `uuid_validity`.
  public var now: Date

  public init(
    filter: String? = nil, latest: Bool = false, tag: String = "managed_by_osism", rotation: Rotation = Rotation(),
    keep: Bool = false, force: Bool = false, maxParallel: Int = 4, importTimeout: Duration = .seconds(1800),
    sourceTimeout: Duration = .seconds(30), uploadOnly: Bool = false, projectID: String? = nil, now: Date = Date()
  ) {
    self.filter = filter
    self.latest = latest
    self.tag = tag
    self.rotation = rotation
    self.keep = keep
    self.force = force
    self.maxParallel = maxParallel
    self.importTimeout = importTimeout
    self.sourceTimeout = sourceTimeout
    self.uploadOnly = uploadOnly
    self.projectID = projectID
    self.now = now
  }

  /// Whether a definition takes part; `filter` must already be a valid expression.
  public func includes(_ definition: ImageDefinition) -> Bool {
    guard definition.enabled || force else { return false }
    guard let filter, !filter.isEmpty else { return true }
    guard let regex = try? Regex(filter) else { return false }
    return definition.name.contains(regex)
  }
}
