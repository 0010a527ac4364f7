import Foundation

public struct NodesAPI: Sendable {
  let client: ServiceClient
  let collection: ResourceCollection<Node>

  public init(_ client: ServiceClient) {
    self.client = client
    collection = ResourceCollection(
      client: client, path: ["nodes"], singular: nil, plural: "nodes", style: .nextField, listSuffix: ["detail"])
  }

  public func list(
    owner: String? = nil, lessee: String? = nil, provisionState: String? = nil, resourceClass: String? = nil,
    pageSize: Int? = nil
  ) -> Pages<Node> {
    collection.list(
      .filters([
        ("owner", owner), ("lessee", lessee), ("provision_state", provisionState),
        ("resource_class", resourceClass), ("limit", pageSize.map(String.init)),
      ]))
  }

  public func get(_ id: String) async throws -> Node { try await collection.get(id) }

  public func find(_ id: String) async throws -> Node? { try await collection.find(id) }

  public func create(_ node: NodeCreate) async throws -> Node { try await collection.create(node) }

  public func update(_ id: String, _ operations: [JSONPatchOperation]) async throws -> Node {
    try await collection.update(id, operations)
  }

  /// Sets or clears the lessee, the field Ironic's policy uses to let a project use a node.
  public func setLessee(_ id: String, _ lessee: String?) async throws -> Node {
    try await update(id, [lessee.map { .add("/lessee", .string($0)) } ?? .remove("/lessee")])
  }

  public func setOwner(_ id: String, _ owner: String?) async throws -> Node {
    try await update(id, [owner.map { .add("/owner", .string($0)) } ?? .remove("/owner")])
  }

  public func delete(_ id: String) async throws { try await collection.delete(id) }

  /// Asks for a power state change; Ironic answers 202 and works asynchronously.
  public func setPower(_ id: String, _ target: PowerTarget) async throws {
    try await client.send(.PUT, ["nodes", id, "states", "power"], json: ["target": target.rawValue])
  }

  /// Asks for a provision state change (`manage`, `provide`, `active`, `deleted`, `clean`, …).
  public func setProvisionState(_ id: String, _ target: String) async throws {
    try await client.send(.PUT, ["nodes", id, "states", "provision"], json: ["target": target])
  }

  public func waitForPower(_ id: String, _ state: String, waiter: Waiter = Waiter()) async throws {
    let nodes = self
    try await waiter.wait(for: "power state of node \(id)", done: [state]) {
      try await nodes.get(id).powerState ?? ""
    }
  }

  public func waitForProvision(_ id: String, _ state: String, waiter: Waiter = Waiter()) async throws {
    let nodes = self
    try await waiter.wait(
      for: "provisioning of node \(id)", done: [state], failed: ["error", "clean failed", "deploy failed"]
    ) {
      try await nodes.get(id).provisionState ?? ""
    }
  }
}
