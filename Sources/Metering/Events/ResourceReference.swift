/// Which resource an event is about, so the store can keep the newest event timestamp per resource and
/// ignore older ones that arrive late (out-of-order delivery), whatever the event type.
public struct ResourceReference: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, CaseIterable, Codable, CodingKeyRepresentable {
    case server, volume, stack, project, user, network, port
    case floatingIP = "floating_ip"
    case image
  }

  public var kind: Kind
  public var id: String
  /// The owning project when the event says (Keystone events and id-only Neutron deletes do not).
  public var projectID: String?

  public init(kind: Kind, id: String, projectID: String? = nil) {
    self.kind = kind
    self.id = id
    self.projectID = projectID
  }
}

extension MeteringEvent {
  /// The resources this event describes: one, except for bulk Neutron creates; none for `.unknown`.
  public var resources: [ResourceReference] {
    switch self {
    case .instance(let e): return [ResourceReference(kind: .server, id: e.instance.id, projectID: e.instance.projectID)]
    case .volume(let e): return [ResourceReference(kind: .volume, id: e.volume.id, projectID: e.volume.projectID)]
    case .image(let e): return [ResourceReference(kind: .image, id: e.image.id, projectID: e.image.projectID)]
    case .stack(let e): return [ResourceReference(kind: .stack, id: e.stack.id, projectID: e.stack.projectID)]
    case .project(let e): return [ResourceReference(kind: .project, id: e.id, projectID: e.id)]
    case .user(let e): return [ResourceReference(kind: .user, id: e.id)]
    case .network(let e):
      return e.resources.map { ResourceReference(kind: .network, id: $0.id, projectID: $0.projectID) }
    case .port(let e): return e.resources.map { ResourceReference(kind: .port, id: $0.id, projectID: $0.projectID) }
    case .floatingIP(let e):
      return e.resources.map { ResourceReference(kind: .floatingIP, id: $0.id, projectID: $0.projectID) }
    case .unknown: return []
    }
  }
}
