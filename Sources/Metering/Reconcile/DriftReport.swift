/// What a resync found the notifications had missed, per resource kind.
public struct DriftReport: Sendable, Hashable, Codable {
  public struct Counts: Sendable, Hashable, Codable {
    /// In the view, gone from the API: closed at observation time.
    public var vanished = 0
    /// In the API, unknown to the view: opened.
    public var unseen = 0
    /// In both, different state, spec or owner: a new interval from observation time.
    public var changed = 0
    /// Deleted in the view but still listed by the API (deletions are terminal, so only reported).
    public var resurrected = 0

    public init() {}

    public var total: Int { vanished + unseen + changed + resurrected }
  }

  public var kinds: [ResourceReference.Kind: Counts] = [:]

  public init() {}

  public var total: Int { kinds.values.reduce(0) { $0 + $1.total } }
}
