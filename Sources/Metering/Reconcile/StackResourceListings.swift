import Foundation

/// What a resync learned from Heat's per-stack resource listings, kept so the next one asks only about stacks
/// that may have changed. Heat has no listing of resources across stacks, so asking every stack each time costs
/// one call per stack per resync; with this, a steady cloud costs list pages only.
public struct StackResourceListings: Sendable, Hashable {
  /// When the resync that listed them started.
  public var listedAt: Date?
  /// Per top-level stack id, its change time (`updated_time`, else `creation_time`) when its resources were
  /// listed.
  public var stacks: [String: Date]

  public init(listedAt: Date? = nil, stacks: [String: Date] = [:]) {
    self.listedAt = listedAt
    self.stacks = stacks
  }

  /// A stack is one Heat gave a change time for, the state it is in, and its project.
  public struct Stack: Sendable, Hashable {
    public var id: String
    public var projectID: String?
    public var status: String
    public var changedAt: Date?

    public init(id: String, projectID: String?, status: String, changedAt: Date?) {
      self.id = id
      self.projectID = projectID
      self.status = status
      self.changedAt = changedAt
    }
  }

  /// The stacks whose resources must be listed again: new ones, ones whose change time moved, ones still in
  /// progress or without a change time, and every stack of a project in which a resource appeared since the last
  /// listing (`newResourceProjects`): an autoscaling group grows its nested stack without touching its
  /// top-level stack's time, and its new servers must still land in the rack. Without a previous listing, all.
  public func stacksToList(_ stacks: [Stack], newResourceProjects: Set<String>) -> [Stack] {
    stacks.filter { stack in
      guard let changedAt = stack.changedAt, let listed = self.stacks[stack.id], listedAt != nil,
        !stack.status.hasSuffix("_IN_PROGRESS")
      else { return true }
      if abs(listed.timeIntervalSince(changedAt)) >= 0.001 { return true }
      return stack.projectID.map(newResourceProjects.contains) ?? true
    }
  }

  /// The projects owning a server, volume or floating IP, not placed in a stack by its own metadata, that
  /// started to exist at or after the last listing: their stacks are asked again. (Networks and ports have no
  /// creation time in their listings; a stack that grows adds servers too.)
  public func projectsWithNewResources(_ observation: CloudObservation) -> Set<String> {
    guard let listedAt else { return [] }
    var projects = Set<String>()
    for (key, resource) in observation.resources where Self.datedKinds.contains(key.kind) {
      guard let project = resource.snapshot.projectID, resource.snapshot.stackID == nil,
        let since = resource.since, since >= listedAt
      else { continue }
      projects.insert(project)
    }
    return projects
  }

  static let datedKinds: Set<ResourceReference.Kind> = [.server, .volume, .floatingIP]
}
