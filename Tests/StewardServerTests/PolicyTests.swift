import Foundation
import Testing

@testable import StewardServer

@Suite("Policy (oslo.policy language)")
struct PolicyTests {
  let defaults = [
    "is_admin": "role:admin",
    "is_owner": "project_id:%(offer.project_id)s",
    "offer:get": "rule:is_admin or rule:is_owner",
    "offer:delete": "rule:is_admin or (role:member and rule:is_owner)",
    "nobody": "!",
    "anybody": "@",
    "not_reader": "not role:reader",
    "loop": "rule:loop",
  ]

  func credentials(_ roles: [String], project: String) -> PolicyCredentials {
    Caller(userID: "u", projectID: project, roles: roles).policyCredentials
  }

  @Test func rolesRulesAndTargets() throws {
    let policy = try Policy(defaults: defaults)
    let target = ["offer.project_id": "p1"]
    #expect(policy.allows("offer:get", credentials(["admin"], project: "x"), target: target))
    #expect(policy.allows("offer:get", credentials(["member"], project: "p1"), target: target))
    #expect(!policy.allows("offer:get", credentials(["member"], project: "p2"), target: target))
    #expect(policy.allows("offer:delete", credentials(["member"], project: "p1"), target: target))
    #expect(!policy.allows("offer:delete", credentials(["reader"], project: "p1"), target: target))
    #expect(!policy.allows("nobody", credentials(["admin"], project: "p1")))
    #expect(policy.allows("anybody", credentials([], project: "p1")))
    #expect(policy.allows("not_reader", credentials(["member"], project: "p1")))
    #expect(!policy.allows("not_reader", credentials(["Reader"], project: "p1")))
    // Unknown and self-referencing rules deny instead of crashing.
    #expect(!policy.allows("undefined", credentials(["admin"], project: "p1")))
    #expect(!policy.allows("loop", credentials(["admin"], project: "p1")))
    // A missing target value never matches an empty credential.
    #expect(!policy.allows("is_owner", credentials(["member"], project: ""), target: [:]))
  }

  @Test func parserPrecedenceAndParentheses() throws {
    #expect(
      try PolicyParser.parse("role:a or role:b and not role:c")
        == .or([.role("a"), .and([.role("b"), .not(.role("c"))])]))
    #expect(
      try PolicyParser.parse("(role:a or role:b) and project_id:%(x.y)s")
        == .and([.or([.role("a"), .role("b")]), .generic("project_id", "%(x.y)s")]))
    #expect(try PolicyParser.parse("") == .always)
    #expect(throws: PolicyError.self) { try PolicyParser.parse("role:a or") }
    #expect(throws: PolicyError.self) { try PolicyParser.parse("(role:a") }
    #expect(throws: PolicyError.self) { try PolicyParser.parse("admin") }
  }

  @Test func overridesFromYAMLAndJSONFiles() throws {
    let directory = NSTemporaryDirectory()
    let yaml = directory + "policy-\(UUID().uuidString).yaml"
    try "\"offer:get\": \"role:admin\"\n".write(toFile: yaml, atomically: true, encoding: .utf8)
    let fromYAML = try Policy.load(defaults: defaults, file: yaml)
    #expect(!fromYAML.allows("offer:get", credentials(["member"], project: "p1"), target: ["offer.project_id": "p1"]))
    let json = directory + "policy-\(UUID().uuidString).json"
    try #"{"offer:delete": "@"}"#.write(toFile: json, atomically: true, encoding: .utf8)
    #expect(try Policy.load(defaults: defaults, file: json).allows("offer:delete", credentials([], project: "p")))
    let bad = directory + "policy-\(UUID().uuidString).yaml"
    try "\"offer:get\": \"role:admin or\"\n".write(toFile: bad, atomically: true, encoding: .utf8)
    #expect {
      try Policy.load(defaults: defaults, file: bad)
    } throws: { error in
      "\(error)".contains(bad) && "\(error)".contains("offer:get")
    }
    #expect(throws: PolicyError.self) { try Policy.load(defaults: defaults, file: directory + "missing.yaml") }
  }
}
