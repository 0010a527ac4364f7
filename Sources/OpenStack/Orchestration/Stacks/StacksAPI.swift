import Foundation

public struct StacksAPI: Sendable {
  let collection: ResourceCollection<Stack>
  var client: ServiceClient { collection.client }

  public init(_ client: ServiceClient) {
    collection = ResourceCollection(
      client: client, path: ["stacks"], singular: "stack", plural: "stacks", style: .links("links"))
  }

  /// Stacks of the token's project, or of every project with `allProjects` (Heat's `global_tenant`, admin).
  public func list(allProjects: Bool = false, pageSize: Int? = nil) -> Pages<Stack> {
    collection.list(
      .filters([("global_tenant", allProjects ? "true" : nil), ("limit", pageSize.map(String.init))]))
  }

  /// The stack with this id, or nil. Heat answers `GET /stacks/{id}` with a redirect to `/stacks/{name}/{id}`,
  /// so the id is looked up through the list filter instead (with `allProjects` for an admin's view).
  public func find(id: String, allProjects: Bool = false) async throws -> Stack? {
    let query = [URLQueryItem].filters([("id", id), ("global_tenant", allProjects ? "true" : nil)])
    let stacks: [Stack] = try await client.get(["stacks"], query: query, key: "stacks")
    return stacks.first { $0.id == id }
  }

  /// Creates a stack from a template (HOT as a JSON value); returns its id. Heat builds it asynchronously.
  public func create(name: String, template: JSONValue, parameters: [String: String] = [:]) async throws -> String {
    struct Created: Decodable { let id: String }
    let body: JSONValue = [
      "stack_name": .string(name), "template": template,
      "parameters": .object(parameters.mapValues { .string($0) }),
    ]
    let response = try await client.send(.POST, ["stacks"], json: body)
    return try client.decode(Created.self, from: response, key: "stack").id
  }

  /// Deletes the stack and everything it created (asynchronous: the stack goes DELETE_IN_PROGRESS).
  public func delete(_ stack: Stack) async throws {
    try await delete(name: stack.stackName, id: stack.id)
  }

  public enum Action: String, Sendable {
    case suspend, resume, check
    case cancelUpdate = "cancel_update"
  }

  /// Suspends or resumes every resource of the stack (`POST /stacks/{name}/{id}/actions`).
  public func perform(_ action: Action, on stack: Stack) async throws {
    try await client.send(
      .POST, ["stacks", stack.stackName, stack.id, "actions"], json: [action.rawValue: JSONValue.null])
  }
}

extension StacksAPI {
  /// The resources of one stack, with those of its nested stacks down to `nestedDepth` (Heat's
  /// `nested_depth`): which servers, volumes and networks a stack (a rack) is made of. An admin may ask for
  /// another project's stack; Heat finds it by id (the name in the path must match).
  public func resources(stackName: String, stackID: String, nestedDepth: Int = 0) async throws -> [StackResource] {
    try await client.get(
      ["stacks", stackName, stackID, "resources"],
      query: nestedDepth > 0 ? [URLQueryItem(name: "nested_depth", value: String(nestedDepth))] : [],
      key: "resources")
  }
}

/// One resource of a stack (`GET /stacks/{name}/{id}/resources`).
public struct StackResource: Decodable, Sendable, Equatable {
  public let resourceName: String
  /// OS::Nova::Server, OS::Cinder::Volume…
  public let resourceType: String
  /// The id the service gave it (a server's id); empty or absent until it was created.
  public let physicalResourceID: String?
  public let resourceStatus: String?
  /// Stacks in nested templates name their parent.
  public let parentResource: String?

  enum CodingKeys: String, CodingKey {
    case resourceName = "resource_name"
    case resourceType = "resource_type"
    case physicalResourceID = "physical_resource_id"
    case resourceStatus = "resource_status"
    case parentResource = "parent_resource"
  }
}

extension StacksAPI {
  /// Creates a stack from a HOT template (YAML or JSON text, sent as Heat's `template` string) and returns
  /// its id; creation goes on in Heat (poll `get` for CREATE_COMPLETE).
  public func create(name: String, template: String, parameters: [String: String] = [:]) async throws -> String {
    try await create(name: name, template: .string(template), parameters: parameters)
  }

  public func get(name: String, id: String) async throws -> Stack {
    try await client.get(["stacks", name, id], key: "stack")
  }

  /// Deletes the stack and everything it made; Heat works on it after answering (poll `get`: DELETE_COMPLETE or 404).
  public func delete(name: String, id: String) async throws {
    try await client.send(.DELETE, ["stacks", name, id])
  }
}
