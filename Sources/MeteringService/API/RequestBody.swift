import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import OpenStack
import StewardServer

/// Request bodies as typed JSON (`OpenStack.JSONValue` keeps true/false apart from 1/0, which JSONSerialization's
/// NSNumbers do not), with 400 answers that say what is wrong.
enum RequestBody {
  static func object(_ request: Request, maxSize: Int = 1 << 20, optional: Bool = false) async throws
    -> [String: OpenStack.JSONValue]
  {
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: maxSize)
    } catch {
      throw APIError(.contentTooLarge, "the request body is larger than \(maxSize) bytes")
    }
    if buffer.readableBytes == 0 {
      if optional { return [:] }
      throw APIError.badRequest("the request body is empty; expected a JSON object")
    }
    let value: OpenStack.JSONValue
    do {
      value = try JSONDecoder().decode(OpenStack.JSONValue.self, from: Data(buffer: buffer))
    } catch {
      throw APIError.badRequest("the request body is not valid JSON")
    }
    guard case .object(let object) = value else { throw APIError.badRequest("the request body must be a JSON object") }
    return object
  }

  /// A required non-empty string field.
  static func string(_ object: [String: OpenStack.JSONValue], _ key: String, path: String = "") throws -> String {
    guard let value = object[key], value != .null else { throw APIError.badRequest("\(path)\(key): required") }
    guard case .string(let text) = value, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw APIError.badRequest("\(path)\(key): expected a non-empty string")
    }
    return text
  }

  static func optionalString(_ object: [String: OpenStack.JSONValue], _ key: String, path: String = "") throws
    -> String?
  {
    guard let value = object[key], value != .null else { return nil }
    guard case .string(let text) = value else { throw APIError.badRequest("\(path)\(key): expected a string") }
    return text
  }

  /// Query parameters; empty values count as absent.
  static func parameters(_ request: Request) -> [String: String] {
    var result: [String: String] = [:]
    for (name, value) in request.uri.queryParameters where !value.isEmpty {
      result[String(name)] = String(value)
    }
    return result
  }

  /// `from`/`to` query parameters (ISO 8601); default: this month (UTC) up to its end.
  static func window(_ parameters: [String: String], now: Date) throws -> (from: Date, to: Date) {
    let month = Period.month(containing: now)
    let from = try parameters["from"].map { try date($0, field: "from") } ?? month.start
    let to = try parameters["to"].map { try date($0, field: "to") } ?? month.end
    guard from < to else { throw APIError.badRequest("from: must be before to") }
    return (from, to)
  }

  static func date(_ text: String, field: String) throws -> Date {
    guard let date = OpenStackDate.parse(text) else {
      throw APIError.badRequest("\(field): '\(text)' is not a date; use ISO 8601 such as 2026-11-01T00:00:00Z")
    }
    return date
  }
}
