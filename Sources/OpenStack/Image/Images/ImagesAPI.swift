import Foundation
import NIOCore

public struct ImagesAPI: Sendable {
  let client: ServiceClient
  let collection: ResourceCollection<Image>

  public init(_ client: ServiceClient) {
    self.client = client
    collection = ResourceCollection(
      client: client, path: ["images"], singular: nil, plural: "images", style: .nextField)
  }

  /// Images the token can see, with Glance's filters. `hidden: nil` lists visible images only, as Glance does.
  public func list(
    name: String? = nil, visibility: String? = nil, owner: String? = nil, status: String? = nil,
    tag: String? = nil, memberStatus: String? = nil, hidden: Bool? = nil, pageSize: Int? = nil
  ) -> Pages<Image> {
    collection.list(
      .filters([
        ("name", name), ("visibility", visibility), ("owner", owner), ("status", status), ("tag", tag),
        ("member_status", memberStatus), ("os_hidden", hidden.map { $0 ? "true" : "false" }),
        ("limit", pageSize.map(String.init)),
      ]))
  }

  public func get(_ id: String) async throws -> Image { try await collection.get(id) }

  public func find(_ id: String) async throws -> Image? { try await collection.find(id) }

  public func create(_ image: ImageCreate) async throws -> Image { try await collection.create(image) }

  /// Applies a JSON patch (`/name`, `/visibility`, `/<property>`, …).
  public func update(_ id: String, _ operations: [JSONPatchOperation]) async throws -> Image {
    try await collection.update(
      id, operations, method: .PATCH, contentType: "application/openstack-images-v2.1-json-patch")
  }

  public func delete(_ id: String) async throws { try await collection.delete(id) }

  public func deleteIfPresent(_ id: String) async throws { try await collection.deleteIfPresent(id) }

  public func deactivate(_ id: String) async throws {
    try await client.send(.POST, ["images", id, "actions", "deactivate"], idempotent: true)
  }

  public func reactivate(_ id: String) async throws {
    try await client.send(.POST, ["images", id, "actions", "reactivate"], idempotent: true)
  }

  public func addTag(_ id: String, _ tag: String) async throws {
    try await client.send(.PUT, ["images", id, "tags", tag])
  }

  public func removeTag(_ id: String, _ tag: String) async throws {
    try await client.send(.DELETE, ["images", id, "tags", tag])
  }

  // MARK: data

  /// Uploads image data in one streamed PUT (`/file`); the bytes are never held in memory whole.
  public func upload(
    _ id: String, length: Int64?, data: @escaping @Sendable () -> AsyncThrowingStream<ByteBuffer, Error>
  ) async throws {
    try await client.send(
      .PUT, ["images", id, "file"], body: .stream(length: length, chunks: data),
      contentType: "application/octet-stream")
  }

  /// Uploads small in-memory data (tests, tiny images).
  public func upload(_ id: String, bytes: Data) async throws {
    try await client.send(.PUT, ["images", id, "file"], body: .data(bytes), contentType: "application/octet-stream")
  }

  /// Stages data for a `glance-direct` import.
  public func stage(
    _ id: String, length: Int64?, data: @escaping @Sendable () -> AsyncThrowingStream<ByteBuffer, Error>
  ) async throws {
    try await client.send(
      .PUT, ["images", id, "stage"], body: .stream(length: length, chunks: data),
      contentType: "application/octet-stream")
  }

  public func startImport(_ id: String, method: ImportMethod) async throws {
    try await client.send(.POST, ["images", id, "import"], json: method.body)
  }

  /// The import methods this Glance offers (`GET /v2/info/import`).
  public func importMethods() async throws -> [String] {
    let info: JSONValue = try await client.get(["info", "import"])
    return info["import-methods"]?["value"]?.arrayValue?.compactMap(\.stringValue) ?? []
  }

  // MARK: members

  public func members(_ id: String) async throws -> [ImageMember] {
    try await client.get(["images", id, "members"], key: "members")
  }

  public func member(_ id: String, project: String) async throws -> ImageMember? {
    do {
      return try await client.get(["images", id, "members", project])
    } catch let error as OpenStackError where error.isNotFound {
      return nil
    }
  }

  public func addMember(_ id: String, project: String) async throws -> ImageMember {
    let response = try await client.send(.POST, ["images", id, "members"], json: ["member": project])
    return try client.decode(ImageMember.self, from: response)
  }

  /// Sets the member's status; only the member project itself may (accept, reject, back to pending).
  public func setMemberStatus(_ id: String, project: String, status: String) async throws -> ImageMember {
    let response = try await client.send(.PUT, ["images", id, "members", project], json: ["status": status])
    return try client.decode(ImageMember.self, from: response)
  }

  public func removeMember(_ id: String, project: String) async throws {
    try await client.send(.DELETE, ["images", id, "members", project])
  }

  /// Waits for `active`; `killed` or `deleted` end the wait as a failure.
  @discardableResult
  public func waitFor(_ id: String, status: Set<String> = ["active"], waiter: Waiter = Waiter()) async throws
    -> String
  {
    let images = self
    return try await waiter.wait(for: "image \(id)", done: status, failed: ["killed", "deleted"]) {
      try await images.get(id).status
    }
  }
}
