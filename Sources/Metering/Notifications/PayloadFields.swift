import Foundation

/// Typed access to one JSON object of a notification, with errors that name the field's full path
/// (`payload.instance_id`) and the event type. Services are sloppy about empty values: "" and null both
/// mean "not set" for optional fields.
struct PayloadFields {
  let object: [String: JSONValue]
  let path: String
  let eventType: String?

  init(_ object: [String: JSONValue], path: String, eventType: String?) {
    self.object = object
    self.path = path
    self.eventType = eventType
  }

  private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  func has(_ key: String) -> Bool {
    if let v = object[key], !v.isNull { return true }
    return false
  }

  /// A required, non-empty string.
  func string(_ key: String) throws(NotificationError) -> String {
    guard let s = try optionalString(key) else { throw .missingField(eventType: eventType, field: name(key)) }
    return s
  }

  func optionalString(_ key: String) throws(NotificationError) -> String? {
    switch object[key] {
    case nil, .null: return nil
    case .string(let s): return s.isEmpty ? nil : s
    case .int(let i): return String(i)
    default: throw .invalidField(eventType: eventType, field: name(key), reason: "expected a string")
    }
  }

  /// The first of several spellings that is set (`project_id` vs the older `tenant_id`).
  func firstString(_ keys: String...) throws(NotificationError) -> String? {
    for k in keys { if let s = try optionalString(k) { return s } }
    return nil
  }

  /// The first of several spellings that is set; missing (named by the first spelling) if none is.
  func requiredString(_ keys: String...) throws(NotificationError) -> String {
    for k in keys { if let s = try optionalString(k) { return s } }
    throw .missingField(eventType: eventType, field: name(keys[0]))
  }

  func int(_ key: String) throws(NotificationError) -> Int? {
    switch object[key] {
    case nil, .null: return nil
    case .int(let i): return Int(i)
    case .double(let d) where d.rounded() == d: return Int(d)
    case .string(let s) where s.isEmpty: return nil
    case .string(let s):
      guard let i = Int(s) else {
        throw .invalidField(eventType: eventType, field: name(key), reason: "\"\(s)\" is not an integer")
      }
      return i
    default: throw .invalidField(eventType: eventType, field: name(key), reason: "expected an integer")
    }
  }

  func bool(_ key: String) throws(NotificationError) -> Bool? {
    switch object[key] {
    case nil, .null: return nil
    case .bool(let b): return b
    case .string(let s) where ["true", "True", "1"].contains(s): return true
    case .string(let s) where ["false", "False", "0"].contains(s): return false
    default: throw .invalidField(eventType: eventType, field: name(key), reason: "expected a boolean")
    }
  }

  func date(_ key: String) throws(NotificationError) -> Date? {
    guard let s = try optionalString(key) else { return nil }
    guard let d = NotificationTimestamp.parse(s) else {
      throw .invalidField(eventType: eventType, field: name(key), reason: "\"\(s)\" is not a timestamp")
    }
    return d
  }

  func fields(_ key: String) throws(NotificationError) -> PayloadFields? {
    switch object[key] {
    case nil, .null: return nil
    case .object(let o): return PayloadFields(o, path: name(key), eventType: eventType)
    default: throw .invalidField(eventType: eventType, field: name(key), reason: "expected an object")
    }
  }

  func list(_ key: String) throws(NotificationError) -> [PayloadFields]? {
    switch object[key] {
    case nil, .null: return nil
    case .array(let items):
      var out: [PayloadFields] = []
      for (i, item) in items.enumerated() {
        guard case .object(let o) = item else {
          throw .invalidField(eventType: eventType, field: "\(name(key))[\(i)]", reason: "expected an object")
        }
        out.append(PayloadFields(o, path: "\(name(key))[\(i)]", eventType: eventType))
      }
      return out
    default: throw .invalidField(eventType: eventType, field: name(key), reason: "expected a list")
    }
  }

  /// Metadata as nova and cinder send it: a {key: value} object, or a [{"key": k, "value": v}] list.
  func metadata(_ key: String) -> [String: String] {
    switch object[key] {
    case .object(let o):
      var out: [String: String] = [:]
      for (k, v) in o { out[k] = v.string ?? v.description }
      return out
    case .array(let items):
      var out: [String: String] = [:]
      for item in items {
        if let k = item["key"]?.string { out[k] = item["value"]?.string ?? item["value"]?.description ?? "" }
      }
      return out
    default:
      return [:]
    }
  }
}

extension JSONValue: CustomStringConvertible {
  public var description: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return String(b)
    case .int(let i): return String(i)
    case .double(let d): return String(d)
    case .string(let s): return s
    case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
    case .object(let o):
      return "{" + o.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }
  }
}
