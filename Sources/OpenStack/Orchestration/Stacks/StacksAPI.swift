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
