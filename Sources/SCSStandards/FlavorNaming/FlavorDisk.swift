/// The optional root disk part: `-[Mx][size][type]`. Both the size and the type may be left out, in which
/// case the cloud picks them (a bare `-` means "a disk large enough for the image").
public struct FlavorDisk: Sendable, Hashable {
  /// How many independent disks of this size the flavor provides (`3x10s`).
  public var count: Int
  /// GB; `nil` when the cloud sizes the disk to fit the image.
  public var size: Int?
  /// `nil` when the cloud decides; scs-0103 then reports the disk as `network`.
  public var type: DiskType?

  public init(count: Int = 1, size: Int? = nil, type: DiskType? = nil) {
    self.count = count
    self.size = size
    self.type = type
  }
}
