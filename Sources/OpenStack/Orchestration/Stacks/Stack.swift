public struct Stack: Decodable, Sendable, Equatable, Identifiable {
  public let id: String
  public let stackName: String
  /// CREATE_COMPLETE, UPDATE_FAILED…
  public let stackStatus: String?
  public let stackStatusReason: String?
  /// The owning project; listed with `global_tenant` (admin).
  public let project: String?
  public let creationTime: String?
  public let updatedTime: String?
  /// Set on nested stacks.
  public let parent: String?

  enum CodingKeys: String, CodingKey {
    case id, project, parent
    case stackName = "stack_name"
    case stackStatus = "stack_status"
    case stackStatusReason = "stack_status_reason"
    case creationTime = "creation_time"
    case updatedTime = "updated_time"
  }
}
