/// One thing a manager intends to do, and why. Changes are values so a plan can be printed, diffed,
/// tested and only then applied.
public struct Change: Sendable, Equatable, Identifiable {
  public enum Action: String, Sendable, Equatable, CaseIterable {
    case create
    case update
    case delete
    /// Hide, deactivate, disable: made unavailable but kept.
    case retire
    /// Nothing to do; listed so a plan also says what was checked.
    case keep
  }

  public var action: Action
  /// The kind of resource (`flavor`, `image`, `extra_spec`, `role_assignment`, …).
  public var kind: String
  /// What it is called (a name, or `flavor/key` for a part of one).
  public var target: String
  public var reason: String
  /// Field-level detail: `ram: 2048 -> 4096`.
  public var details: [String]

  public init(_ action: Action, kind: String, target: String, reason: String, details: [String] = []) {
    self.action = action
    self.kind = kind
    self.target = target
    self.reason = reason
    self.details = details
  }

  public var id: String { "\(action.rawValue) \(kind) \(target)" }
}
