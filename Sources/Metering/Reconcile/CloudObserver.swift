import Foundation
import OpenStack

/// Lists what the APIs say exists, for a resync: list calls only, every project at once
/// (`all_tenants`/`all_projects`/`global_tenant`, admin), so a resync costs O(pages), never a call per
/// resource. A service missing from the catalog (no Cinder, no Heat) or failing leaves its kinds unlisted,
/// which the planner reads as "do not diff", and says why in `failures`.
public struct CloudObserver: Sendable {
  public let session: Session
  public let pageSize: Int
  /// Whether to ask Heat which resources each stack is made of (one call per new or changed stack).
  public let membership: Bool
  /// What earlier resyncs listed (`MeteringReader.stackResourceListings`): unchanged stacks are not asked again.
  /// Empty: every stack is asked.
  public let stackListings: StackResourceListings

  public init(
    session: Session, pageSize: Int = 1000, membership: Bool = true,
    stackListings: StackResourceListings = StackResourceListings()
  ) {
    self.session = session
    self.pageSize = pageSize
    self.membership = membership
    self.stackListings = stackListings
  }

  public struct Result: Sendable {
    public var observation: CloudObservation
    /// List calls made per kind (one per page).
    public var calls: [ResourceReference.Kind: Int]
    /// Kinds that could not be listed, and why.
    public var failures: [ResourceReference.Kind: String]
    /// The stacks Heat was asked for their resources (new, changed or growing ones).
    public var stacksAsked: Set<String> = []
  }

  public func observe(at observedAt: Date = Date()) async -> Result {
    var result = Result(observation: CloudObservation(observedAt: observedAt), calls: [:], failures: [:])
    func list(_ kind: ResourceReference.Kind, _ body: () async throws -> ([(String, ObservedResource)], Int)) async {
      do {
        let (items, calls) = try await body()
        result.observation.add(kind, items.map { (id: $0.0, resource: $0.1) })
        result.calls[kind] = calls
      } catch {
        result.failures[kind] = "\(error)"
      }
    }
    let size = pageSize
    await list(.project) {
      let projects = try await session.identity().projects.list()
      return (projects.map { ($0.id, Self.project($0)) }, 1)
    }
    await list(.user) {
      let users = try await session.identity().users.list()
      return (
        users.map {
          ($0.id, ObservedResource(snapshot: ResourceSnapshot(projectID: nil, name: $0.name, state: "present")))
        }, 1
      )
    }
    await list(.server) {
      try await Self.collect(try await session.compute().servers.list(allProjects: true, pageSize: size)) {
        ($0.id, Self.server($0))
      }
    }
    await list(.volume) {
      let volumes = try await session.blockStorage().volumes.list(
        .filters([("all_tenants", "1"), ("limit", String(size))]))
      return try await Self.collect(volumes) { ($0.id, Self.volume($0)) }
    }
    await list(.network) {
      let networks = try await session.network().networks.list(.filters([("limit", String(size))]))
      return try await Self.collect(networks) { n in
        (
          n.id,
          ObservedResource(
            snapshot: ResourceSnapshot(projectID: n.projectID, name: n.name, state: n.status ?? "UNKNOWN"))
        )
      }
    }
    await list(.port) {
      let ports = try await session.network().ports.list(.filters([("limit", String(size))]))
      return try await Self.collect(ports) { ($0.id, Self.port($0)) }
    }
    await list(.floatingIP) {
      let ips = try await session.network().floatingIPs.list(.filters([("limit", String(size))]))
      return try await Self.collect(ips) { ($0.id, Self.floatingIP($0)) }
    }
    await list(.image) {
      // As admin, Glance lists every project's images, but only those with `os_hidden` false unless asked
      // for hidden ones, and no community images without `visibility=all`: two listings cover them all.
      let images = try await session.image().images
      var items: [(String, ObservedResource)] = []
      var calls = 0
      for hidden in [false, true] {
        let (some, n) = try await Self.collect(images.list(visibility: "all", hidden: hidden, pageSize: size)) {
          ($0.id, Self.image($0))
        }
        items += some.filter { !Self.goneImageStates.contains($0.1.snapshot.state) }
        calls += n
      }
      return (items, calls)
    }
    // Heat's default policy denies `stacks:global_index` to everybody: the operator must allow it for the
    // metering user, otherwise stacks stay unlisted (403 in `failures`) and are followed by notifications only.
    var stacks: [Stack] = []
    await list(.stack) {
      let pages = try await session.orchestration().stacks.list(allProjects: true, pageSize: size)
      var calls = 0
      for try await page in pages {
        calls += 1
        stacks += page
      }
      return (
        stacks.map { s in
          (
            s.id,
            ObservedResource(
              snapshot: ResourceSnapshot(projectID: s.project, name: s.stackName, state: s.stackStatus ?? "UNKNOWN"),
              since: s.creationTime.flatMap(OpenStackDate.parse))
          )
        }, calls
      )
    }
    if membership, result.observation.listedKinds.contains(.stack) {
      let live = stacks.filter { $0.parent == nil && !($0.stackStatus ?? "").hasPrefix("DELETE_COMPLETE") }
      let described = live.map {
        StackResourceListings.Stack(
          id: $0.id, projectID: $0.project, status: $0.stackStatus ?? "",
          changedAt: ($0.updatedTime ?? $0.creationTime).flatMap(OpenStackDate.parse))
      }
      let asked = Set(
        stackListings.stacksToList(
          described, newResourceProjects: stackListings.projectsWithNewResources(result.observation)
        ).map(\.id))
      let (members, listed) = await Self.members(of: live.filter { asked.contains($0.id) }, session: session)
      result.calls[.stack, default: 0] += asked.count
      result.stacksAsked = asked
      result.observation.assignStacks(members)
      var next = StackResourceListings(listedAt: result.observation.observedAt)
      for stack in described {
        let changedAt =
          asked.contains(stack.id)
          ? (listed.contains(stack.id) ? stack.changedAt : nil) : stackListings.stacks[stack.id]
        // Remembered only when settled: a stack in progress is asked again next time.
        if let changedAt, !stack.status.hasSuffix("_IN_PROGRESS") { next.stacks[stack.id] = changedAt }
      }
      result.observation.stackListings = next
    }
    return result
  }

  /// Which stack each server, volume, network and port belongs to, from Heat's per-stack resource list
  /// (nested stacks included): one call per stack asked (`StackResourceListings.stacksToList`: new, changed or
  /// growing ones), since Heat has no listing across stacks. `listed` names the stacks whose resources were
  /// listed.
  /// Nova notifications carry a stack id only when the template puts one in the server's metadata
  /// (`metering.stack`), so this is how templates that do not get their servers into the rack. A stack
  /// whose resources cannot be listed (deleted meanwhile, forbidden) keeps its members unknown, which a
  /// resync reads as "not stated", never as drift.
  static func members(of stacks: [Stack], session: Session, concurrency: Int = 8) async -> (
    members: [ResourceKey: String], listed: Set<String>
  ) {
    var members: [ResourceKey: String] = [:]
    var listed = Set<String>()
    guard let api = try? await session.orchestration().stacks, !stacks.isEmpty else { return ([:], []) }
    // A few at a time: a first resync of a cloud with thousands of stacks asks about each of them.
    await withTaskGroup(of: (Stack, [StackResource]?).self) { group in
      var next = stacks.makeIterator()
      func start() {
        guard let stack = next.next() else { return }
        group.addTask {
          (stack, try? await api.resources(stackName: stack.stackName, stackID: stack.id, nestedDepth: 5))
        }
      }
      for _ in 0..<concurrency { start() }
      for await (stack, resources) in group {
        start()
        guard let resources else { continue }
        listed.insert(stack.id)
        for resource in resources {
          guard let id = resource.physicalResourceID, !id.isEmpty,
            let kind = memberKinds[resource.resourceType]
          else { continue }
          members[ResourceKey(kind, id)] = stack.id
        }
      }
    }
    return (members, listed)
  }

  static let memberKinds: [String: ResourceReference.Kind] = [
    "OS::Nova::Server": .server, "OS::Cinder::Volume": .volume, "OS::Neutron::Net": .network,
    "OS::Neutron::ProviderNet": .network, "OS::Neutron::Port": .port, "OS::Neutron::FloatingIP": .floatingIP,
  ]

  static func collect<Item>(_ pages: Pages<Item>, _ map: (Item) -> (String, ObservedResource)) async throws
    -> ([(String, ObservedResource)], Int)
  {
    var items: [(String, ObservedResource)] = []
    var calls = 0
    for try await page in pages {
      calls += 1
      items += page.map(map)
    }
    return (items, calls)
  }

  static func project(_ p: Project) -> ObservedResource {
    ObservedResource(snapshot: ResourceSnapshot(projectID: p.id, name: p.name, state: "present"))
  }

  /// Nova's vm_state is what notifications call `state`; the status (ACTIVE, SHUTOFF) is a fallback.
  static func server(_ s: Server) -> ObservedResource {
    let flavor = s.flavor
    let snapshot = ResourceSnapshot(
      projectID: s.projectID, userID: s.userID, name: s.name, state: s.vmState ?? vmState(status: s.status),
      spec: ResourceSpec(
        flavor: flavor?.originalName ?? flavor?.id, vcpus: flavor?.vcpus, memoryMB: flavor?.ram, diskGB: flavor?.disk),
      stackID: StackMembership.stackID(metadata: s.metadata ?? [:]))
    return ObservedResource(snapshot: snapshot, since: (s.launchedAt ?? s.created).flatMap(OpenStackDate.parse))
  }

  /// The vm_state a status implies, for listings without the admin-only `OS-EXT-STS:vm_state`.
  static func vmState(status: String) -> String {
    switch status {
    case "SHUTOFF": return "stopped"
    case "VERIFY_RESIZE": return "resized"
    case "BUILD": return "building"
    default: return status.lowercased()
    }
  }

  static func volume(_ v: Volume) -> ObservedResource {
    let snapshot = ResourceSnapshot(
      projectID: v.projectID, name: v.name, state: v.status,
      // Notifications carry the type's id; without it (before 3.63) the type is not compared.
      spec: ResourceSpec(flavor: v.volumeTypeID, diskGB: v.size),
      attachedTo: (v.attachments ?? []).compactMap(\.serverID))
    return ObservedResource(snapshot: snapshot, since: v.createdAt.flatMap(OpenStackDate.parse))
  }

  /// Glance's status is the ledger state, as in its notifications; `created_at` opens an image the
  /// notifications missed (the listing has no upload time, and an image's data usually follows its creation
  /// within seconds).
  static func image(_ i: OpenStack.Image) -> ObservedResource {
    let snapshot = ResourceSnapshot(
      projectID: i.owner, name: i.name, state: i.status, spec: ResourceSpec(sizeBytes: i.size))
    return ObservedResource(snapshot: snapshot, since: i.createdAt.flatMap(OpenStackDate.parse))
  }

  /// Statuses of images deleted for their owner (`pending_delete`: delayed delete keeps only the data until
  /// the scrubber runs). Glance does not list them; should one appear it is left out, which closes it the way
  /// its `image.delete` notification does.
  static let goneImageStates: Set<String> = ["deleted", "pending_delete"]

  static func port(_ p: OpenStack.Port) -> ObservedResource {
    let snapshot = ResourceSnapshot(
      projectID: p.projectID, name: p.name, state: p.status ?? "UNKNOWN", networkID: p.networkID,
      deviceID: p.deviceID.flatMap { $0.isEmpty ? nil : $0 }, address: p.fixedIPs?.first?.ipAddress)
    return ObservedResource(snapshot: snapshot)
  }

  static func floatingIP(_ f: FloatingIP) -> ObservedResource {
    let snapshot = ResourceSnapshot(
      projectID: f.projectID, state: f.portID == nil ? "allocated" : "associated", networkID: f.floatingNetworkID,
      deviceID: f.portID, address: f.floatingIPAddress)
    return ObservedResource(snapshot: snapshot, since: f.createdAt.flatMap(OpenStackDate.parse))
  }
}
