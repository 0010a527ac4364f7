import Foundation
import NIOCore
import NIOHTTP1

/// One service's endpoint and microversion, borrowed from the session. Resource APIs call it with path
/// components and typed bodies; it never sees tokens or retries.
public struct ServiceClient: Sendable {
  public let session: Session
  public let service: ServiceType
  /// The versioned endpoint, without a trailing slash (`http://127.0.0.1:9292/v2`).
  public let baseURL: URL
  /// The negotiated microversion sent with every request, for services that have them.
  public internal(set) var microversion: Microversion?

  /// A copy pinned to another microversion (for a call that needs an older or newer behaviour).
  public func with(microversion: Microversion) -> ServiceClient {
    var copy = self
    copy.microversion = microversion
    return copy
  }

  /// True when the negotiated microversion is at least `version` (a field or call added by it exists).
  public func supports(_ version: Microversion) -> Bool {
    guard let microversion else { return false }
    return microversion >= version
  }

  // MARK: - URLs

  static let pathAllowed: CharacterSet = {
    var set = CharacterSet.urlPathAllowed
    set.remove(charactersIn: "/;?#")
    return set
  }()

  static let queryAllowed: CharacterSet = {
    var set = CharacterSet.urlQueryAllowed
    set.remove(charactersIn: "&=+;#")
    return set
  }()

  /// `baseURL` + each component percent-encoded (an image named `a/b` stays one segment) + query.
  public func url(_ path: [String], query: [URLQueryItem] = []) -> URL {
    var text = baseURL.absoluteString
    for component in path {
      text += "/" + (component.addingPercentEncoding(withAllowedCharacters: Self.pathAllowed) ?? component)
    }
    if !query.isEmpty {
      text +=
        "?"
        + query.map { item in
          let name = item.name.addingPercentEncoding(withAllowedCharacters: Self.queryAllowed) ?? item.name
          guard let value = item.value else { return name }
          return name + "=" + (value.addingPercentEncoding(withAllowedCharacters: Self.queryAllowed) ?? value)
        }.joined(separator: "&")
    }
    return URL(string: text)!
  }

  // MARK: - requests

  /// Sends a request and returns the answer (status below 400); errors are `OpenStackError`.
  @discardableResult
  public func send(
    _ method: HTTPMethod, _ path: [String], query: [URLQueryItem] = [], body: RequestBody = .none,
    contentType: String? = nil, headers extra: HTTPHeaders = [:], idempotent: Bool? = nil
  ) async throws -> HTTPResponse {
    var headers: HTTPHeaders = ["Accept": "application/json"]
    if let microversion { headers.add(contentsOf: service.microversionHeaders(microversion)) }
    if let contentType {
      headers.add(name: "Content-Type", value: contentType)
    } else if case .data = body {
      headers.add(name: "Content-Type", value: "application/json")
    }
    for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
    let request = HTTPRequest(
      method: method, url: url(path, query: query), headers: headers, body: body, timeout: session.timeout)
    return try await session.sendAuthenticated(request, idempotent: idempotent)
  }

  /// Sends a JSON body built from an `Encodable` value.
  @discardableResult
  public func send<Body: Encodable>(
    _ method: HTTPMethod, _ path: [String], query: [URLQueryItem] = [], json: Body,
    contentType: String? = nil, idempotent: Bool? = nil
  ) async throws -> HTTPResponse {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    let data = try encoder.encode(json)
    return try await send(
      method, path, query: query, body: .data(data), contentType: contentType, idempotent: idempotent)
  }

  /// Decodes `T` from the answer, optionally from one key of the top-level object
  /// (`{"flavor": {...}}` → `key: "flavor"`).
  public func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, key: String? = nil) throws -> T {
    let decoder = JSONDecoder()
    do {
      if let key {
        decoder.userInfo[Keyed<T>.keyInfo] = key
        return try decoder.decode(Keyed<T>.self, from: response.body).value
      }
      return try decoder.decode(T.self, from: response.body)
    } catch {
      throw OpenStackError(
        kind: .invalidResponse, method: "", url: baseURL.absoluteString, status: response.status,
        requestID: response.requestID, message: "unexpected \(service.type) answer: \(Self.describe(error))")
    }
  }

  public func get<T: Decodable>(_ path: [String], query: [URLQueryItem] = [], key: String? = nil) async throws -> T {
    try decode(T.self, from: try await send(.GET, path, query: query), key: key)
  }

  static func describe(_ error: Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ context: DecodingError.Context) -> String {
      context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context): return "missing field '\(path(context)).\(key.stringValue)'"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      return "field '\(path(context))': \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }
}

/// Decodes the value under a key chosen at run time (from `userInfo`), so one wrapper serves
/// `{"flavor": …}`, `{"server": …}` and every other envelope.
struct Keyed<T: Decodable>: Decodable {
  static var keyInfo: CodingUserInfoKey { CodingUserInfoKey(rawValue: "steward.key")! }
  let value: T

  init(from decoder: Decoder) throws {
    guard let key = decoder.userInfo[Self.keyInfo] as? String else {
      throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no key given"))
    }
    let container = try decoder.container(keyedBy: AnyKey.self)
    value = try container.decode(T.self, forKey: AnyKey(key))
  }
}

struct AnyKey: CodingKey {
  let stringValue: String
  let intValue: Int? = nil
  init(_ string: String) { stringValue = string }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { return nil }
}
