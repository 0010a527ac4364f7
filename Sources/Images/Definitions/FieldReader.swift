import Foundation
import Yams

/// Reads the fields of one YAML mapping with type checks, remembering which keys were used so the
/// rest can be reported as unknown (a typo like `min_ramm` is a warning, not silently ignored).
struct FieldReader {
  let node: Node
  let path: String
  let file: String
  let known: Set<String>
  var issues: [ImageDefinitionIssue] = []

  init(node: Node, path: String, file: String, known: Set<String>) {
    self.node = node
    self.path = path
    self.file = file
    self.known = known
    if let mapping = node.mapping {
      for (key, _) in mapping {
        guard let name = key.string, !known.contains(name) else { continue }
        issues.append(
          .init(
            severity: .warning, location: Self.location(of: key, file: file), field: "\(path).\(name)",
            message: "unknown key (ignored)"))
      }
    } else {
      issues.append(
        .init(
          severity: .error, location: Self.location(of: node, file: file), field: path, message: "must be a mapping"))
    }
  }

  var isMapping: Bool { node.mapping != nil }
  var location: SourceLocation { Self.location(of: node, file: file) }

  static func location(of node: Node, file: String) -> SourceLocation {
    SourceLocation(file: file, line: node.mark?.line ?? 0)
  }

  func has(_ key: String) -> Bool { node.mapping?[key] != nil }

  mutating func error(_ field: String, _ message: String, at node: Node? = nil) {
    let place =
      node.map { Self.location(of: $0, file: file) } ?? value(
        field.split(separator: ".").first.map(String.init) ?? field
      ).map { Self.location(of: $0, file: file) } ?? location
    issues.append(.init(severity: .error, location: place, field: "\(path).\(field)", message: message))
  }

  private func value(_ key: String) -> Node? {
    guard let value = node.mapping?[key] else { return nil }
    // A plain empty or null scalar means "not given"; a quoted '' is a real empty string.
    if case .scalar(let scalar) = value, scalar.style == .plain,
      ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    {
      return nil
    }
    return value
  }

  private mutating func present(_ key: String, required: Bool) -> Node? {
    guard let value = value(key) else {
      if required {
        issues.append(.init(severity: .error, location: location, field: "\(path).\(key)", message: "is required"))
      }
      return nil
    }
    return value
  }

  mutating func string(_ key: String, required: Bool = false, allowed: Set<String>? = nil) -> String? {
    guard let value = present(key, required: required) else { return nil }
    guard case .scalar(let scalar) = value else {
      error(key, "must be a single value", at: value)
      return nil
    }
    let text = scalar.string
    if let allowed, !allowed.contains(text) {
      error(key, "'\(text)' is not one of \(allowed.sorted().joined(separator: ", "))", at: value)
    }
    return text
  }

  mutating func bool(_ key: String, required: Bool = false) -> Bool? {
    guard let value = present(key, required: required) else { return nil }
    guard let flag = value.bool else {
      error(key, "'\(value.string ?? "?")' must be true or false", at: value)
      return nil
    }
    return flag
  }

  mutating func int(_ key: String, required: Bool = false) -> Int? {
    guard let value = present(key, required: required) else { return nil }
    guard let number = value.int, number >= 0 else {
      error(key, "'\(value.string ?? "?")' must be a whole number, 0 or more", at: value)
      return nil
    }
    return number
  }

  mutating func strings(_ key: String, required: Bool = false) -> [String] {
    guard let value = node.mapping?[key] else {
      if required {
        issues.append(.init(severity: .error, location: location, field: "\(path).\(key)", message: "is required"))
      }
      return []
    }
    if case .scalar(let scalar) = value, scalar.string.isEmpty || scalar.string == "null" { return [] }
    guard let items = value.sequence else {
      error(key, "must be a list", at: value)
      return []
    }
    return items.compactMap(\.string)
  }

  mutating func sequence(_ key: String, required: Bool = false) -> [Node] {
    guard let value = present(key, required: required) else { return [] }
    guard let items = value.sequence else {
      error(key, "must be a list", at: value)
      return []
    }
    return Array(items)
  }

  mutating func url(_ key: String, required: Bool = false, allowFile: Bool = false) -> String? {
    guard let text = string(key, required: required) else { return nil }
    let schemes: Set<String> = allowFile ? ["http", "https", "ftp", "ftps", "file"] : ["http", "https", "ftp", "ftps"]
    if !ImageDefinitionLoader.isURL(text, schemes: schemes) {
      error(key, "'\(text)' is not a valid URL (\(schemes.sorted().joined(separator: ", ")))")
    }
    return text
  }

  /// A flat mapping of properties; values become the strings Glance stores.
  mutating func meta(_ key: String, required: Bool = false) -> [String: String] {
    guard let value = present(key, required: required) else { return [:] }
    guard let mapping = value.mapping else {
      error(key, "must be a mapping of properties", at: value)
      return [:]
    }
    var result: [String: String] = [:]
    for (nameNode, valueNode) in mapping {
      guard let name = nameNode.string else { continue }
      guard case .scalar(let scalar) = valueNode else {
        error("\(key).\(name)", "must be a single value", at: valueNode)
        continue
      }
      let text = scalar.string
      if ["null", "~", ""].contains(text) && scalar.style == .plain { continue }
      ImageDefinitionLoader.checkMeta(name, text, &self, field: "\(key).\(name)")
      result[name] = text
    }
    return result
  }
}
