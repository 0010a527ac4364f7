/// A Neutron RBAC policy sharing a network (or QoS policy, security group, …) with a project.
public struct RBACPolicy: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let objectType: String
  public let objectID: String
  /// `access_as_shared` or `access_as_external`.
  public let action: String
  public let targetTenant: String
  public let projectID: String?

  enum CodingKeys: String, CodingKey {
    case id
    case objectType = "object_type"
    case objectID = "object_id"
    case action
    case targetTenant = "target_tenant"
    case projectID = "project_id"
  }
}

public struct RBACPolicyCreate: Encodable, Sendable {
  public var objectType: String
  public var objectID: String
  public var action: String
  public var targetTenant: String

  public init(
    objectType: String = "network", objectID: String, action: String = "access_as_shared", targetProject: String
  ) {
    self.objectType = objectType
    self.objectID = objectID
    self.action = action
    self.targetTenant = targetProject
  }

  enum CodingKeys: String, CodingKey {
    case objectType = "object_type"
    case objectID = "object_id"
    case action
    case targetTenant = "target_tenant"
  }
}
