import Foundation
import OpenStack
import StewardServer

/// `POST /v1/teams`: a project, its members' role assignments and its billing account, as Concertim's
/// "create team" does.
public struct TeamRequest: Sendable, Equatable {
  public struct Member: Sendable, Equatable {
    /// User id or name (in the team's domain).
    public var user: String
    public var role: String
  }

  public var name: String
  /// Domain id or name; default `default`.
  public var domain: String
  public var description: String?
  public var members: [Member]
  /// Passed to the billing account as given (currency, billing period…); the billing side validates it.
  public var billing: [String: OpenStack.JSONValue]

  public init(
    name: String, domain: String = "default", description: String? = nil, members: [Member] = [],
    billing: [String: OpenStack.JSONValue] = [:]
  ) {
    self.name = name
    self.domain = domain
    self.description = description
    self.members = members
    self.billing = billing
  }

  /// Parses and validates the body; 400 naming the field.
  public init(json body: [String: OpenStack.JSONValue]) throws {
    let name = try RequestBody.string(body, "name")
    guard name.count <= 64 else { throw APIError.badRequest("name: at most 64 characters (Keystone's limit)") }
    guard !name.contains(where: { $0.isNewline || $0 == "/" }) else {
      throw APIError.badRequest("name: must not contain '/' or line breaks")
    }
    self.name = name
    domain = try RequestBody.optionalString(body, "domain") ?? "default"
    description = try RequestBody.optionalString(body, "description")
    members = []
    if let raw = body["members"], raw != .null {
      guard case .array(let items) = raw else { throw APIError.badRequest("members: expected a list") }
      for (index, item) in items.enumerated() {
        guard case .object(let member) = item else {
          throw APIError.badRequest("members[\(index)]: expected an object with user and role")
        }
        members.append(
          Member(
            user: try RequestBody.string(member, "user", path: "members[\(index)]."),
            role: try RequestBody.optionalString(member, "role", path: "members[\(index)].") ?? "member"))
      }
    }
    billing = [:]
    if let raw = body["billing"], raw != .null {
      guard case .object(let object) = raw else { throw APIError.badRequest("billing: expected an object") }
      billing = object
    }
    let unknown = Set(body.keys).subtracting(["name", "domain", "description", "members", "billing"])
    if let field = unknown.sorted().first { throw APIError.badRequest("\(field): unknown field") }
  }
}
