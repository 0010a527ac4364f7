import Foundation

/// The view's record of one resource: what it looks like now (its newest observation before any deletion),
/// when it was first and last observed, and when it was deleted. Projects are teams, stacks racks, and
/// servers, volumes, networks, ports and floating IPs devices, in Concertim's terms.
public struct ViewEntry: Sendable, Hashable {
  public var key: ResourceKey
  /// nil only for a resource known solely from an id-only delete.
  public var snapshot: ResourceSnapshot?
  public var firstObserved: Date
  /// The newest observation that counted (deletions are terminal: later ones are ignored).
  public var lastObserved: Date
  public var lastSourceID: String
  public var deletedAt: Date?

  public var isLive: Bool { deletedAt == nil }

  public init(
    key: ResourceKey, snapshot: ResourceSnapshot?, firstObserved: Date, lastObserved: Date, lastSourceID: String,
    deletedAt: Date?
  ) {
    self.key = key
    self.snapshot = snapshot
    self.firstObserved = firstObserved
    self.lastObserved = lastObserved
    self.lastSourceID = lastSourceID
    self.deletedAt = deletedAt
  }
}
