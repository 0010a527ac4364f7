/// A Neutron RBAC policy sharing a network (or QoS policy, security group, …) with a project.
public struct RBACPolicy: Codable, Sendable, Equatable, Identifiable {
  public let id: String
  public let object_type: String
  public let object_id: String
  /// `access_as_shared` or `access_as_external`.
  public let action: String
  public let target_tenant: String
  public let project_id: String?
}

public struct RBACPolicyCreate: Encodable, Sendable {
  public var object_type: String
  public var object_id: String
  public var action: String
  public var target_tenant: String

  public init(objectType: String = "network", objectID: String, action: String = "access_as_shared", targetProject: String) {
    self.object_type = objectType
    self.object_id = objectID
    self.action = action
    self.target_tenant = targetProject
  }
}
