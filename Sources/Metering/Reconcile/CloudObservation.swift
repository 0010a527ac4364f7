import Foundation

/// What one resync saw through the APIs: every resource of the kinds it listed completely. Kinds it could
/// not list (a service missing from the catalog, a failed call) are absent from `listedKinds` and never
/// diffed, so an outage of Cinder does not close every volume.
public struct CloudObservation: Sendable {
  /// When the listing started: repairs are stamped with it, and resources the view heard of after it are
  /// left alone (their notification is newer than the listing).
  public var observedAt: Date
  public var listedKinds: Set<ResourceReference.Kind>
  public var resources: [ResourceKey: ObservedResource]
  /// The stack resource listings to remember after this resync (nil: stacks were not listed, or membership was
  /// not asked; the remembered ones stay).
  public var stackListings: StackResourceListings?

  public init(
    observedAt: Date, listedKinds: Set<ResourceReference.Kind> = [], resources: [ResourceKey: ObservedResource] = [:]
  ) {
    // Microseconds, like every observation, so repairs stamped with it compare equal to it.
    self.observedAt = Date(
      timeIntervalSince1970: (observedAt.timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
    self.listedKinds = listedKinds
    self.resources = resources
  }

  /// Sets the stack (rack) of listed resources the listing itself did not place in one.
  public mutating func assignStacks(_ members: [ResourceKey: String]) {
    for (key, stack) in members where resources[key] != nil && resources[key]?.snapshot.stackID == nil {
      resources[key]?.snapshot.stackID = stack
    }
  }

  public mutating func add(_ kind: ResourceReference.Kind, _ items: [(id: String, resource: ObservedResource)]) {
    listedKinds.insert(kind)
    for item in items { resources[ResourceKey(kind, item.id)] = item.resource }
  }
}

public struct ObservedResource: Sendable, Hashable {
  public var snapshot: ResourceSnapshot
  /// When the service says the resource started to exist (a server's launched_at, a volume's
  /// created_at): a resource the notifications never mentioned is opened from there.
  public var since: Date?

  public init(snapshot: ResourceSnapshot, since: Date? = nil) {
    self.snapshot = snapshot
    self.since = since
  }
}
