import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// JSON answers and request bodies with the errors a caller can fix.
public enum JSONResponse {
  public static func make<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    return Response(
      status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  public static func empty(_ status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentLength: "0"])
  }

  /// The request body as a JSON object; 400 naming the problem when it is empty, not JSON or not an object.
  public static func object(from request: Request, context: some RequestContext, maxSize: Int = 1 << 20)
    async throws -> [String: Any]
  {
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: maxSize)
    } catch {
      throw APIError(.contentTooLarge, "the request body is larger than \(maxSize) bytes")
    }
    let data = Data(buffer: buffer)
    if data.isEmpty { throw APIError.badRequest("the request body is empty; expected a JSON object") }
    let parsed: Any
    do {
      parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      throw APIError.badRequest("the request body is not valid JSON: \(describe(error))")
    }
    guard let object = parsed as? [String: Any] else {
      throw APIError.badRequest("the request body must be a JSON object")
    }
    return object
  }

  static func describe(_ error: Error) -> String {
    let nsError = error as NSError
    return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
  }
}
