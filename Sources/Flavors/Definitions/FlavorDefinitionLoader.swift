import Yams

/// Reads definition files in the openstack-flavor-manager format (`reference`, `mandatory`,
/// `recommended`; keys with `:` are extra specs) unchanged, but strictly: a typo in a field or section
/// name is an error with its line instead of a silently missing flavor property.
public enum FlavorDefinitionLoader {
  static let fields: Set<String> = [
    "name", "cpus", "ram", "disk", "public", "disabled", "flavorid", "id", "description",
  ]
  static let sections: Set<String> = ["reference", "mandatory", "recommended"]

  /// Parses `text`; `file` is only used in messages.
  public static func load(_ text: String, file: String) throws(FlavorDefinitionError) -> FlavorDefinitionSet {
    func fail(_ node: Node?, _ message: String) -> FlavorDefinitionError {
      FlavorDefinitionError(file: file, line: node?.mark?.line, column: node?.mark?.column, message: message)
    }
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw yamlError(error, file: file)
    } catch {
      throw FlavorDefinitionError(file: file, message: "not valid YAML: \(error)")
    }
    guard let root else { throw FlavorDefinitionError(file: file, message: "the file is empty") }
    guard let top = root.mapping else {
      throw fail(root, "expected a mapping with the sections 'reference', 'mandatory' and 'recommended'")
    }
    for (key, _) in top {
      guard let name = key.string, sections.contains(name) else {
        throw fail(key, "unknown section '\(key.string ?? "?")'; known: reference, mandatory, recommended")
      }
    }

    var defaults: [String: Node] = [:]
    var prefix: String?
    if let reference = top["reference"] {
      guard let entries = reference.sequence else { throw fail(reference, "'reference' must be a list of fields") }
      for entry in entries {
        guard let entryMap = entry.mapping, let field = entryMap["field"]?.string else {
          throw fail(entry, "each reference entry needs 'field: <name>'")
        }
        if let value = entryMap["default"] { defaults[field] = value }
        if field == "name", let value = entryMap["mandatory_prefix"]?.string { prefix = value }
      }
    }

    var seen: [String: Int] = [:]
    func flavors(_ section: String, required: Bool) throws(FlavorDefinitionError) -> [FlavorDefinition] {
      guard let node = top[section] else {
        if required { throw fail(root, "the section '\(section)' is missing") }
        return []
      }
      if node.null != nil { return [] }
      guard let entries = node.sequence else { throw fail(node, "'\(section)' must be a list of flavors") }
      var result: [FlavorDefinition] = []
      for entry in entries {
        let definition = try flavor(entry, defaults: defaults, file: file)
        if let prefix, !definition.name.hasPrefix(prefix) {
          throw fail(entry, "flavor '\(definition.name)' lacks the mandatory name prefix '\(prefix)'")
        }
        if let line = seen[definition.name] {
          throw fail(entry, "flavor '\(definition.name)' is defined twice (first on line \(line))")
        }
        seen[definition.name] = entry.mark?.line ?? 0
        result.append(definition)
      }
      return result
    }
    let mandatory = try flavors("mandatory", required: true)
    let recommended = try flavors("recommended", required: false)
    return FlavorDefinitionSet(mandatory: mandatory, recommended: recommended, namePrefix: prefix)
  }

  static func flavor(_ entry: Node, defaults: [String: Node], file: String) throws(FlavorDefinitionError)
    -> FlavorDefinition
  {
    func fail(_ node: Node?, _ message: String) -> FlavorDefinitionError {
      FlavorDefinitionError(file: file, line: node?.mark?.line, column: node?.mark?.column, message: message)
    }
    guard let mapping = entry.mapping else { throw fail(entry, "each flavor must be a mapping (name, cpus, ram, …)") }
    var values: [String: Node] = defaults
    var specs: [String: String] = [:]
    for (key, value) in mapping {
      guard let name = key.string else { throw fail(key, "field names must be strings") }
      if name.contains(":") {
        guard let text = value.scalar?.string else {
          throw fail(value, "extra spec '\(name)' must have a scalar value")
        }
        specs[name] = text
      } else if fields.contains(name) {
        values[name] = value
      } else {
        throw fail(
          key, "unknown field '\(name)'; known: \(fields.sorted().joined(separator: ", ")), or extra specs with ':'")
      }
    }
    let label = mapping["name"]?.string.map { "flavor '\($0)'" } ?? "flavor"
    func string(_ field: String) throws(FlavorDefinitionError) -> String? {
      guard let node = values[field] else { return nil }
      guard let text = node.scalar?.string, node.null == nil else {
        throw fail(node, "\(label): '\(field)' must be a text value")
      }
      return text
    }
    func integer(_ field: String, minimum: Int) throws(FlavorDefinitionError) -> Int? {
      guard let node = values[field] else { return nil }
      guard let text = node.scalar?.string, let number = Int(text), number >= minimum else {
        throw fail(node, "\(label): '\(field)' must be an integer ≥ \(minimum), not '\(node.scalar?.string ?? "?")'")
      }
      return number
    }
    func boolean(_ field: String) throws(FlavorDefinitionError) -> Bool? {
      guard let node = values[field] else { return nil }
      guard let flag = node.bool else { throw fail(node, "\(label): '\(field)' must be true or false") }
      return flag
    }
    guard let name = try string("name"), !name.isEmpty else { throw fail(entry, "a flavor without 'name'") }
    guard let vcpus = try integer("cpus", minimum: 1) else { throw fail(entry, "\(label) has no 'cpus'") }
    guard let ram = try integer("ram", minimum: 1) else { throw fail(entry, "\(label) has no 'ram' (MiB)") }
    let flavorID = try string("flavorid")
    let id = try string("id")
    let disk = try integer("disk", minimum: 0)
    let isPublic = try boolean("public")
    let disabled = try boolean("disabled")
    let description = try string("description")
    return FlavorDefinition(
      name: name, id: flavorID ?? id, vcpus: vcpus, ramMiB: ram, diskGB: disk ?? 0, isPublic: isPublic ?? true,
      disabled: disabled ?? false, description: description, extraSpecs: specs,
      source: entry.mark.map { "\(file):\($0.line)" })
  }

  static func yamlError(_ error: YamlError, file: String) -> FlavorDefinitionError {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
      return FlavorDefinitionError(
        file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)\(detail)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      return FlavorDefinitionError(
        file: file, line: context.mark.line, column: context.mark.column,
        message: "duplicate keys: \(duplicates.joined(separator: ", "))")
    default:
      return FlavorDefinitionError(file: file, message: "invalid YAML: \(error)")
    }
  }
}
