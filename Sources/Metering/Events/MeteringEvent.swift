/// What a notification means for the view and the usage ledger. Every event that describes a resource
/// carries the resource's full state as the service saw it at the notification's timestamp, so applying
/// it is "the resource looked like this at T" — which makes out-of-order and repeated delivery harmless
/// when the store keeps the newest timestamp per resource.
public enum MeteringEvent: Sendable, Hashable {
  case instance(InstanceEvent)
  case volume(VolumeEvent)
  case image(ImageEvent)
  case stack(StackEvent)
  case project(IdentityEvent)
  case user(IdentityEvent)
  case network(NeutronEvent<NetworkState>)
  case port(NeutronEvent<PortState>)
  case floatingIP(NeutronEvent<FloatingIPState>)
  /// An event type metering does not follow (counted, acked, ignored): `*.start`, `compute.instance.exists`,
  /// `image.send`, `image.member.*`, `subnet.*`, `router.*`, …
  case unknown

  static func parse(eventType: String, payload: PayloadFields) throws(NotificationError) -> MeteringEvent {
    if eventType.hasPrefix("compute.instance.") || eventType.hasPrefix("instance.") {
      guard let action = InstanceAction(eventType: eventType) else { return .unknown }
      return .instance(InstanceEvent(action: action, instance: try InstanceState.parse(payload)))
    }
    if eventType.hasPrefix("volume.") {
      guard let action = VolumeAction(eventType: eventType) else { return .unknown }
      return .volume(VolumeEvent(action: action, volume: try VolumeState.parse(payload)))
    }
    if eventType.hasPrefix("image.") {
      guard let action = ImageAction(eventType: eventType) else { return .unknown }
      return .image(ImageEvent(action: action, image: try ImageState.parse(payload)))
    }
    if eventType.hasPrefix("orchestration.stack.") {
      guard let action = StackAction(eventType: eventType) else { return .unknown }
      return .stack(StackEvent(action: action, stack: try StackState.parse(payload)))
    }
    if eventType.hasPrefix("identity.project.") || eventType.hasPrefix("identity.user.") {
      guard let action = ResourceAction(identityEventType: eventType) else { return .unknown }
      let event = IdentityEvent(action: action, id: try IdentityEvent.resourceID(payload))
      return eventType.hasPrefix("identity.project.") ? .project(event) : .user(event)
    }
    if let (resource, action) = ResourceAction.neutron(eventType) {
      switch resource {
      case "network": return .network(try NeutronEvent.parse(action, resource: resource, payload, NetworkState.parse))
      case "port": return .port(try NeutronEvent.parse(action, resource: resource, payload, PortState.parse))
      case "floatingip":
        return .floatingIP(try NeutronEvent.parse(action, resource: resource, payload, FloatingIPState.parse))
      default: return .unknown
      }
    }
    return .unknown
  }
}

/// Create/update/delete, for resources whose notifications say no more than that.
public enum ResourceAction: String, Sendable, Hashable, CaseIterable {
  case created, updated, deleted

  /// Keystone: `identity.project.created`.
  init?(identityEventType: String) {
    guard let last = identityEventType.split(separator: ".").last, let a = ResourceAction(rawValue: String(last)) else {
      return nil
    }
    self = a
  }

  /// Neutron: `network.create.end` → ("network", .created); only `.end` events, the others have not happened yet.
  static func neutron(_ eventType: String) -> (String, ResourceAction)? {
    let parts = eventType.split(separator: ".")
    guard parts.count == 3, parts[2] == "end", ["network", "port", "floatingip"].contains(parts[0]) else { return nil }
    switch parts[1] {
    case "create": return (String(parts[0]), .created)
    case "update": return (String(parts[0]), .updated)
    case "delete": return (String(parts[0]), .deleted)
    default: return nil
    }
  }
}
