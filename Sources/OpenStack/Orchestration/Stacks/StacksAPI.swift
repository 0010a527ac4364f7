import Foundation

public struct StacksAPI: Sendable {
  let collection: ResourceCollection<Stack>

  public init(_ client: ServiceClient) {
    collection = ResourceCollection(
      client: client, path: ["stacks"], singular: "stack", plural: "stacks", style: .links("links"))
  }

  /// Stacks of the token's project, or of every project with `allProjects` (Heat's `global_tenant`, admin).
  public func list(allProjects: Bool = false, pageSize: Int? = nil) -> Pages<Stack> {
    collection.list(
      .filters([("global_tenant", allProjects ? "true" : nil), ("limit", pageSize.map(String.init))]))
  }
}

extension StacksAPI {
  /// The resources of one stack, with those of its nested stacks down to `nestedDepth` (Heat's
  /// `nested_depth`): which servers, volumes and networks a stack (a rack) is made of. An admin may ask for
  /// another project's stack; Heat finds it by id (the name in the path must match).
  public func resources(stackName: String, stackID: String, nestedDepth: Int = 0) async throws -> [StackResource] {
    try await collection.client.get(
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
    struct Body: Encodable {
      let stack_name: String
      let template: String
      let parameters: [String: String]
    }
    struct Created: Decodable { let id: String }
    let client = collection.client
    let response = try await client.send(
      .POST, ["stacks"], json: Body(stack_name: name, template: template, parameters: parameters))
    return try client.decode(Created.self, from: response, key: "stack").id
  }

  public func get(name: String, id: String) async throws -> Stack {
    try await collection.client.get(["stacks", name, id], key: "stack")
  }

  /// Deletes the stack and everything it made; Heat works on it after answering (poll `get`: DELETE_COMPLETE or 404).
  public func delete(name: String, id: String) async throws {
    try await collection.client.send(.DELETE, ["stacks", name, id])
  }
}
