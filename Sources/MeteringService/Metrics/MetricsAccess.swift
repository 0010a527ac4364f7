import Foundation

/// Who may scrape `/metrics`. Its series name projects and what they cost, yet Prometheus cannot get a
/// Keystone token, so the route is outside Keystone auth: either anyone who reaches the port may read it (the
/// default, for a port only the monitoring network reaches), or only a scraper that sends the operator's
/// bearer token (`Authorization: Bearer <token>`, Prometheus' `authorization.credentials_file`).
public struct MetricsAccess: Sendable, Equatable {
  /// The token's bytes, or nil when `/metrics` is open.
  let token: [UInt8]?

  /// Anyone may read `/metrics`.
  public static let open = MetricsAccess(token: nil)

  init(token: [UInt8]?) { self.token = token }

  /// Only callers that send `token` as a bearer token. The token must not be empty.
  public static func bearer(_ token: String) throws -> MetricsAccess {
    let bytes = Array(token.utf8)
    guard !bytes.isEmpty, bytes.allSatisfy(Self.isTokenByte) else {
      throw Invalid("the metrics token must be one or more printable ASCII characters without spaces")
    }
    return MetricsAccess(token: bytes)
  }

  /// Reads the token from a file the way Prometheus reads its `credentials_file`: the whole file, surrounding
  /// white space (a trailing newline) removed.
  public static func bearer(file path: String) throws -> MetricsAccess {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Invalid("\(path): cannot read the metrics token file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw Invalid("\(path): the metrics token file is not UTF-8 text")
    }
    let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !token.isEmpty else { throw Invalid("\(path): the metrics token file is empty") }
    do {
      return try bearer(token)
    } catch let error as Invalid {
      throw Invalid("\(path): \(error.message)")
    }
  }

  public var isOpen: Bool { token == nil }

  /// Whether a request with this `Authorization` header value may read `/metrics`. The scheme is
  /// case-insensitive (RFC 9110); the token is compared in time that depends only on the configured token's
  /// length, so timing does not tell a caller how much of a guess was right.
  public func allows(authorization: String?) -> Bool {
    guard let token else { return true }
    guard let authorization else { return false }
    let value = authorization.utf8
    let scheme = value.prefix { $0 != UInt8(ascii: " ") }
    guard String(decoding: scheme, as: UTF8.self).lowercased() == "bearer" else { return false }
    let credentials = value.dropFirst(scheme.count).drop { $0 == UInt8(ascii: " ") }
    return Self.constantTimeEquals(token, Array(credentials))
  }

  /// Every byte of `expected` is looked at whatever `given` holds; a length difference is folded into the
  /// result instead of returning early.
  static func constantTimeEquals(_ expected: [UInt8], _ given: [UInt8]) -> Bool {
    var difference: UInt8 = expected.count == given.count ? 0 : 1
    for index in 0..<expected.count {
      let other = index < given.count ? given[index] : ~expected[index]
      difference |= expected[index] ^ other
    }
    return difference == 0
  }

  /// RFC 6750's b64token characters and the rest of visible ASCII: what fits in a header unquoted.
  static func isTokenByte(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

  public struct Invalid: Error, CustomStringConvertible, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
  }
}
