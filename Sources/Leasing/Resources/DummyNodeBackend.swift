import Foundation

/// esi-leap's `dummy_node`: resources that exist only for the leasing service, for tests and demos without
/// Ironic. Kept in memory, optionally loaded from and saved to a JSON file (`[{"uuid", "name", "owner", …}]`).
public actor DummyNodeBackend: ResourceBackend {
  public nonisolated let resourceType = "dummy_node"
  private var nodes: [String: LeasableResource] = [:]
  private let file: String?

  public init(nodes: [LeasableResource] = [], file: String? = nil) throws {
    self.file = file
    var loaded: [String: LeasableResource] = [:]
    if let file, FileManager.default.fileExists(atPath: file) {
      let data = try Data(contentsOf: URL(fileURLWithPath: file))
      let decoded = try JSONDecoder().decode([StoredNode].self, from: data)
      for node in decoded { loaded[node.uuid] = node.resource }
    }
    for node in nodes { loaded[node.uuid] = node }
    self.nodes = loaded
  }

  public func add(_ node: LeasableResource) {
    var node = node
    node.type = resourceType
    nodes[node.uuid] = node
    save()
  }

  public func node(_ uuid: String) -> LeasableResource? { nodes[uuid] }

  public func resolve(_ ident: String) async throws -> LeasableResource {
    if let node = nodes[ident] { return node }
    let named = nodes.values.filter { $0.name == ident }
    guard named.count == 1 else { throw LeasingError.invalid("dummy_node \(ident) not found.") }
    return named[0]
  }

  public func list() async throws -> [LeasableResource] { nodes.values.sorted { $0.uuid < $1.uuid } }

  public func setLease(_ resourceUUID: String, leaseUUID: String, lessee: String) async throws {
    guard var node = nodes[resourceUUID] else { throw LeasingError.invalid("dummy_node \(resourceUUID) not found.") }
    node.leaseUUID = leaseUUID
    node.lesseeProjectID = lessee
    nodes[resourceUUID] = node
    save()
  }

  public func removeLease(_ resourceUUID: String, leaseUUID: String) async throws {
    guard var node = nodes[resourceUUID], node.leaseUUID == leaseUUID else { return }
    node.leaseUUID = nil
    node.lesseeProjectID = nil
    nodes[resourceUUID] = node
    save()
  }

  private func save() {
    guard let file else { return }
    let stored = nodes.values.sorted { $0.uuid < $1.uuid }.map(StoredNode.init)
    if let data = try? JSONEncoder().encode(stored) { try? data.write(to: URL(fileURLWithPath: file)) }
  }

  struct StoredNode: Codable {
    var uuid: String
    var name: String?
    var owner: String?
    var lessee: String?
    var leaseUUID: String?
    var resourceClass: String?

    enum CodingKeys: String, CodingKey {
      case uuid, name, owner, lessee
      case leaseUUID = "lease_uuid"
      case resourceClass = "resource_class"
    }

    init(_ resource: LeasableResource) {
      uuid = resource.uuid
      name = resource.name
      owner = resource.ownerProjectID
      lessee = resource.lesseeProjectID
      leaseUUID = resource.leaseUUID
      resourceClass = resource.resourceClass
    }

    var resource: LeasableResource {
      LeasableResource(
        type: "dummy_node", uuid: uuid, name: name, ownerProjectID: owner, lesseeProjectID: lessee,
        leaseUUID: leaseUUID, resourceClass: resourceClass)
    }
  }
}
