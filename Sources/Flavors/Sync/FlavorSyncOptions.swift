/// What a sync may change beyond creating and repairing the defined flavors.
public struct FlavorSyncOptions: Sendable, Equatable {
  /// What to do with flavors that carry the set's name prefix but are not defined.
  public enum ExtraFlavors: String, Sendable, Equatable, CaseIterable {
    /// Leave them alone (the default, as with openstack-flavor-manager).
    case keep
    case delete
    /// Make them private, so only admins (and running servers) still see them. Nova cannot change
    /// `is_public` in place, so this recreates the flavor with the same id, specs and description.
    case retire
  }

  /// Remove extra specs a defined flavor has but its definition does not.
  public var pruneSpecs: Bool
  public var extraFlavors: ExtraFlavors
  /// Only flavors whose names match one of these (`*` matches any text); empty means all.
  public var limit: [String]
  /// How many flavors are changed at the same time.
  public var concurrency: Int
  /// Have Nova validate extra specs strictly (microversion 2.86+) instead of as openstack-flavor-manager
  /// writes them; strict costs Nova about a quarter second per flavor.
  public var strictSpecs: Bool

  public init(
    pruneSpecs: Bool = false, extraFlavors: ExtraFlavors = .keep, limit: [String] = [], concurrency: Int = 8,
    strictSpecs: Bool = false
  ) {
    self.strictSpecs = strictSpecs
    self.pruneSpecs = pruneSpecs
    self.extraFlavors = extraFlavors
    self.limit = limit
    self.concurrency = concurrency
  }

  public func includes(_ name: String) -> Bool {
    limit.isEmpty || limit.contains { Self.matches(name, pattern: $0) }
  }

  /// Shell-style matching with `*` only, enough for `SCS-1V-*`.
  static func matches(_ name: String, pattern: String) -> Bool {
    let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
    guard pieces.count > 1 else { return name == pattern }
    guard name.hasPrefix(pieces[0]) else { return false }
    var rest = Substring(name.dropFirst(pieces[0].count))
    for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
      guard let range = rest.range(of: piece) else { return false }
      rest = rest[range.upperBound...]
    }
    let last = pieces[pieces.count - 1]
    return rest.count >= last.count && rest.hasSuffix(last)
  }
}
