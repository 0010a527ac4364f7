import Foundation

/// A Heat stack operation that finished (`orchestration.stack.*.end`) — a rack, in Concertim's terms.
public struct StackEvent: Sendable, Hashable {
  public var action: StackAction
  public var stack: StackState
}

public enum StackAction: String, Sendable, Hashable, CaseIterable {
  case created, updated, deleted, suspended, resumed, checked, restored, snapshotted, adopted

  init?(eventType: String) {
    let parts = eventType.split(separator: ".")
    guard parts.count == 4, parts[3] == "end" else { return nil }
    switch parts[2] {
    case "create": self = .created
    case "update": self = .updated
    case "delete": self = .deleted
    case "suspend": self = .suspended
    case "resume": self = .resumed
    case "check": self = .checked
    case "restore": self = .restored
    case "snapshot": self = .snapshotted
    case "adopt": self = .adopted
    default: return nil
    }
  }
}

public struct StackState: Sendable, Hashable {
  public var id: String
  public var name: String?
  public var projectID: String
  public var userID: String?
  /// CREATE_COMPLETE, UPDATE_FAILED, DELETE_COMPLETE…
  public var state: String?
  public var stateReason: String?
  public var createdAt: Date?
  public var updatedAt: Date?

  static func parse(_ p: PayloadFields) throws(NotificationError) -> StackState {
    // stack_identity: the stack's id (what Heat sends today), or an ARN arn:openstack:heat::<tenant>:stacks/<name>/<id>
    let identity = try p.string("stack_identity")
    let id = identity.split(separator: "/").last.map(String.init) ?? identity
    return StackState(
      id: id, name: try p.optionalString("stack_name"),
      projectID: try p.requiredString("tenant_id", "project_id"),
      // Heat's `user_id` is the user's NAME; the id is `user_identity`.
      userID: try p.firstString("user_identity", "user_id"), state: try p.optionalString("state"),
      stateReason: try p.optionalString("state_reason"), createdAt: try p.date("create_at"),
      updatedAt: try p.date("updated_at"))
  }
}
