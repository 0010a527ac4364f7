import Foundation

public struct StacksAPI: Sendable {
  let client: ServiceClient
  let collection: ResourceCollection<Stack>

  public init(_ client: ServiceClient) {
    self.client = client
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
    try await client.send(.DELETE, ["stacks", stack.stackName, stack.id])
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
