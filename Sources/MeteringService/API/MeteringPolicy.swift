import StewardServer

/// The service's rules in oslo.policy's language; an operator overrides any of them with `--policy`.
/// A project-scoped token sees only its own project; `admin` sees every project and alone creates teams,
/// sets quotas and adds credit.
public enum MeteringPolicy {
  public static let defaults: [String: String] = [
    "admin": "role:admin",
    "project_member": "project_id:%(project_id)s",
    "metering:project:list_all": "rule:admin",
    "metering:project:get": "rule:admin or rule:project_member",
    "metering:usage:get": "rule:admin or rule:project_member",
    "metering:resource:action": "rule:admin or rule:project_member",
    "metering:team:create": "rule:admin",
    "metering:quota:get": "rule:admin or rule:project_member",
    "metering:quota:update": "rule:admin",
    "metering:keypair:manage": "@",
    "billing:cost:get": "rule:admin or rule:project_member",
    "billing:invoice:get": "rule:admin or rule:project_member",
    "billing:credit:get": "rule:admin or rule:project_member",
    "billing:credit:add": "rule:admin",
    "billing:budget:get": "rule:admin or rule:project_member",
    "billing:budget:set": "rule:admin or rule:project_member",
    "billing:prices:get": "@",
  ]
}

extension Policy {
  /// 403 naming the rule unless it lets `caller` act on `project`.
  func enforce(_ rule: String, _ caller: Caller, project: String? = nil) throws {
    guard allows(rule, caller.policyCredentials, target: ["project_id": project ?? ""]) else {
      if let project {
        throw APIError.forbidden("policy \(rule) does not allow this caller on project \(project)")
      }
      throw APIError.forbidden("policy \(rule) does not allow this caller")
    }
  }

  func permits(_ rule: String, _ caller: Caller, project: String? = nil) -> Bool {
    allows(rule, caller.policyCredentials, target: ["project_id": project ?? ""])
  }
}
