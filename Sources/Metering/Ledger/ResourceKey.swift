/// Identifies one resource across events, observations, the view and the ledger.
public struct ResourceKey: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var kind: ResourceReference.Kind
  public var id: String

  public init(_ kind: ResourceReference.Kind, _ id: String) {
    self.kind = kind
    self.id = id
  }

  public static func < (a: ResourceKey, b: ResourceKey) -> Bool {
    (a.kind.rawValue, a.id) < (b.kind.rawValue, b.id)
  }

  public var description: String { "\(kind.rawValue)/\(id)" }

  /// Kinds whose state intervals are billed and therefore kept in the usage ledger; the others (projects,
  /// users, stacks, networks, ports) live only in the view.
  public var isMetered: Bool { kind == .server || kind == .volume || kind == .floatingIP || kind == .image }
}
