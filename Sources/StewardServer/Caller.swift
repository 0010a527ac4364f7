import Foundation
import OpenStack

/// Who sent a request, as Keystone vouched for it: the facts policies and handlers decide on.
public struct Caller: Sendable, Equatable {
  public var userID: String
  public var userName: String?
  public var projectID: String?
  public var projectName: String?
  public var domainID: String?
  public var roles: [String]
  public var isSystemScoped: Bool
  public var expiresAt: Date

  public init(
    userID: String, userName: String? = nil, projectID: String?, projectName: String? = nil, domainID: String? = nil,
    roles: [String], isSystemScoped: Bool = false, expiresAt: Date = .distantFuture
  ) {
    self.userID = userID
    self.userName = userName
    self.projectID = projectID
    self.projectName = projectName
    self.domainID = domainID
    self.roles = roles
    self.isSystemScoped = isSystemScoped
    self.expiresAt = expiresAt
  }

  public init(token: Token) {
    self.init(
      userID: token.user.id, userName: token.user.name, projectID: token.project?.id,
      projectName: token.project?.name, domainID: token.project?.domain?.id ?? token.domain?.id,
      roles: token.roles.compactMap(\.name), isSystemScoped: token.isSystemScoped, expiresAt: token.expiresAt)
  }

  /// The credential values oslo.policy rules see (`role:`, `project_id:`, `user_id:`, `system_scope:`).
  public var policyCredentials: PolicyCredentials {
    PolicyCredentials(
      roles: Set(roles.map { $0.lowercased() }),
      values: [
        "user_id": userID, "project_id": projectID ?? "", "domain_id": domainID ?? "",
        "system_scope": isSystemScoped ? "all" : "",
      ])
  }
}
