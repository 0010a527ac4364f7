import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answer with a message meant for the caller. The body carries the message twice: in the OpenStack
/// shape (`error.code/title/message`) and in the WSME shape (`faultcode/faultstring`) that esi-leap's and other
/// OpenStack Python clients print. Never holds a traceback, a token or a password.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible {
  public let status: HTTPResponse.Status
  public let message: String
  public var headers: HTTPFields

  public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
    self.status = status
    self.message = message
    self.headers = headers
  }

  public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
  public static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
  public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, message) }
  public static func conflict(_ message: String) -> APIError { APIError(.conflict, message) }
  public static func unauthorized(_ message: String) -> APIError {
    APIError(.unauthorized, message, headers: [.wwwAuthenticate: "Keystone uri=\"\""])
  }

  public var description: String { "\(status.code) \(message)" }

  public func response(from request: Request, context: some RequestContext) throws -> Response {
    makeResponse()
  }

  public func makeResponse() -> Response {
    let body: [String: Any] = [
      "error": ["code": status.code, "title": status.reasonPhrase, "message": message],
      "faultcode": status.code < 500 ? "Client" : "Server",
      "faultstring": message,
      "debuginfo": NSNull(),
    ]
    let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    var fields = headers
    fields[.contentType] = "application/json"
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}
