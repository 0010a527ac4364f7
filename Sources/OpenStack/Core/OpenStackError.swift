import Foundation

/// A failed call to an OpenStack service, keeping every fact an operator needs to report it: what was
/// called, what the service answered and the request id its logs know it by.
///
/// The kind is a private enum behind static members so cases can be added without breaking callers.
public struct OpenStackError: Error, Sendable, CustomStringConvertible {
  enum Kind: Sendable, Equatable {
    case http
    case transport
    case timeout
    case invalidResponse
    case authentication
    case endpointNotFound
    case unsupportedVersion
  }

  let kind: Kind
  public let method: String
  public let url: String
  /// HTTP status, `nil` when no response arrived.
  public let status: Int?
  public let requestID: String?
  /// The service's own explanation (from its error body), or the transport failure.
  public let message: String

  init(
    kind: Kind, method: String, url: String, status: Int? = nil, requestID: String? = nil, message: String
  ) {
    self.kind = kind
    self.method = method
    self.url = url
    self.status = status
    self.requestID = requestID
    self.message = message
  }

  public var isNotFound: Bool { status == 404 }
  public var isConflict: Bool { status == 409 }
  public var isForbidden: Bool { status == 403 }
  public var isUnauthorized: Bool { status == 401 || kind == .authentication }
  public var isTransport: Bool { kind == .transport || kind == .timeout }
  public var isTimeout: Bool { kind == .timeout }
  public var isEndpointNotFound: Bool { kind == .endpointNotFound }

  public var description: String {
    var text: String
    switch kind {
    case .http:
      text = "\(method) \(url) failed with HTTP \(status.map(String.init) ?? "?")"
    case .transport:
      text = "\(method) \(url) could not be sent"
    case .timeout:
      text = "\(method) \(url) timed out"
    case .invalidResponse:
      text = "\(method) \(url) returned an unreadable response"
    case .authentication:
      text = "authentication at \(url) failed"
      if let status { text += " with HTTP \(status)" }
    case .endpointNotFound, .unsupportedVersion:
      return message
    }
    if !message.isEmpty { text += ": \(message)" }
    if let requestID { text += " (request id \(requestID))" }
    return text
  }

  static func endpointNotFound(_ message: String) -> OpenStackError {
    OpenStackError(kind: .endpointNotFound, method: "", url: "", message: message)
  }

  /// Pulls the human message out of the error body shapes OpenStack services use:
  /// `{"error": {"message": ...}}` (Keystone), `{"itemNotFound": {"message": ...}}` (Nova),
  /// `{"NeutronError": {"message": ...}}`, `{"error_message": "{\"faultstring\": ...}"}` (Ironic),
  /// `{"errors": [{"detail": ...}]}` (placement) and Glance's HTML or plain text.
  static func serviceMessage(from body: Data, contentType: String?) -> String {
    guard !body.isEmpty else { return "" }
    if let json = try? JSONDecoder().decode(JSONValue.self, from: body) {
      if let message = message(in: json) { return message }
    }
    var text = String(decoding: body.prefix(2000), as: UTF8.self)
    if contentType?.contains("html") == true || text.contains("<html") || text.contains("<br") {
      text = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
    }
    return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  private static func message(in json: JSONValue) -> String? {
    switch json {
    case .string(let text):
      if let nested = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)),
        let message = message(in: nested)
      {
        return message
      }
      return text
    case .object(let object):
      for key in ["message", "faultstring", "detail", "title", "error_message", "description"] {
        if let value = object[key], let message = message(in: value), !message.isEmpty { return message }
      }
      if let errors = object["errors"]?.arrayValue, let first = errors.first { return message(in: first) }
      if object.count == 1, let value = object.values.first { return message(in: value) }
      return nil
    default:
      return nil
    }
  }
}
