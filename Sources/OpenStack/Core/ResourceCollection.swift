import Foundation
import NIOHTTP1

/// The create/list/get/update/delete calls that most OpenStack collections share, wrapped in the
/// envelope the service uses (`{"flavor": {...}}` in, `{"flavors": [...]}` out). Resource APIs are thin
/// wrappers around one of these, adding the calls that are their own.
public struct ResourceCollection<Item: Decodable & Sendable>: Sendable {
  public let client: ServiceClient
  public let path: [String]
  /// The envelope key of one item; `nil` where the service sends items bare (Glance, Ironic).
  public let singular: String?
  public let plural: String
  public let style: PaginationStyle
  /// Microversion-independent extra segment for the list call (`detail` for Nova servers).
  public let listSuffix: [String]

  public init(
    client: ServiceClient, path: [String], singular: String?, plural: String, style: PaginationStyle,
    listSuffix: [String] = []
  ) {
    self.client = client
    self.path = path
    self.singular = singular
    self.plural = plural
    self.style = style
    self.listSuffix = listSuffix
  }

  public func list(_ query: [URLQueryItem] = []) -> Pages<Item> {
    Pages(client: client, path: path + listSuffix, query: query, key: plural, style: style)
  }

  public func get(_ id: String) async throws -> Item {
    try await client.get(path + [id], key: singular)
  }

  /// The item, or `nil` when the service answers 404.
  public func find(_ id: String) async throws -> Item? {
    do {
      return try await get(id)
    } catch let error as OpenStackError where error.isNotFound {
      return nil
    }
  }

  public func create<Body: Encodable & Sendable>(_ body: Body) async throws -> Item {
    let response = try await client.send(.POST, path, json: Envelope(key: singular, value: body))
    return try client.decode(Item.self, from: response, key: singular)
  }

  public func update<Body: Encodable & Sendable>(
    _ id: String, _ body: Body, method: HTTPMethod = .PATCH, contentType: String? = nil
  ) async throws -> Item {
    let response = try await client.send(
      method, path + [id], json: Envelope(key: singular, value: body), contentType: contentType)
    return try client.decode(Item.self, from: response, key: singular)
  }

  public func delete(_ id: String) async throws {
    try await client.send(.DELETE, path + [id])
  }

  /// Deletes and treats "already gone" as success, for cleanups that may run twice.
  public func deleteIfPresent(_ id: String) async throws {
    do {
      try await delete(id)
    } catch let error as OpenStackError where error.isNotFound {
    }
  }
}

/// `{"<key>": value}`, or the value itself when the key is `nil`.
struct Envelope<Value: Encodable & Sendable>: Encodable, Sendable {
  let key: String?
  let value: Value

  func encode(to encoder: Encoder) throws {
    if let key {
      var container = encoder.container(keyedBy: AnyKey.self)
      try container.encode(value, forKey: AnyKey(key))
    } else {
      try value.encode(to: encoder)
    }
  }
}

/// One operation of an RFC 6902 JSON patch, as Glance and Ironic take updates.
public struct JSONPatchOperation: Encodable, Sendable, Equatable {
  public let op: String
  public let path: String
  public let value: JSONValue?

  public static func add(_ path: String, _ value: JSONValue) -> Self { Self(op: "add", path: path, value: value) }
  public static func replace(_ path: String, _ value: JSONValue) -> Self {
    Self(op: "replace", path: path, value: value)
  }
  public static func remove(_ path: String) -> Self { Self(op: "remove", path: path, value: nil) }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: AnyKey.self)
    try container.encode(op, forKey: AnyKey("op"))
    try container.encode(path, forKey: AnyKey("path"))
    if let value { try container.encode(value, forKey: AnyKey("value")) }
  }
}

extension Array where Element == URLQueryItem {
  /// Builds a query from optional filters, leaving out the unset ones.
  public static func filters(_ pairs: [(String, String?)]) -> [URLQueryItem] {
    pairs.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
  }
}
