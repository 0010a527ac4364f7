import Foundation
import Yams

/// Reads a spec file as the official runner does (`scs_cert_lib.load_spec`): only known keywords, unique
/// testcase, module and version ids, every include and timeline entry naming something that exists.
/// Errors name the file, line and field.
public struct SpecLoader: Sendable {
  static let keywords: [String: Set<String>] = [
    "spec": ["uuid", "name", "url", "versions", "prerequisite", "variables", "scripts", "modules", "timeline"],
    "scripts": ["executable", "env", "args", "testcases"],
    "versions": ["version", "include", "targets", "stabilized_at"],
    "modules": ["id", "targets", "url", "name", "parameters"],
    "testcases": ["lifetime", "section", "id", "description", "url"],
    "include": ["ref", "parameters"],
  ]

  public init() {}

  public func load(file path: String) throws -> ComplianceSpec {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SpecError(file: path, "cannot read the spec file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw SpecError(file: path, "the spec file is not UTF-8")
    }
    return try load(text: text, file: path)
  }

  public func load(text: String, file: String = "<spec>") throws -> ComplianceSpec {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: text) else { throw SpecError(file: file, "the spec file is empty") }
      root = node
    } catch let error as SpecError {
      throw error
    } catch let error as YamlError {
      throw SpecError(file: file, "not valid YAML: \(error)")
    }
    var reader = Reader(file: file)
    return try reader.spec(root)
  }

  struct Reader {
    let file: String

    func fail(_ node: Node?, _ message: String) -> SpecError {
      SpecError(file: file, line: node?.mark?.line, message)
    }

    func mapping(_ node: Node, _ context: String, _ field: String) throws -> Node.Mapping {
      guard let mapping = node.mapping else { throw fail(node, "\(field): must be a mapping") }
      if let known = SpecLoader.keywords[context] {
        for (key, _) in mapping {
          let name = key.string ?? "?"
          if !known.contains(name) { throw fail(key, "\(field): unknown keyword '\(name)'") }
        }
      }
      return mapping
    }

    func sequence(_ node: Node?, _ field: String) throws -> [Node] {
      guard let node else { return [] }
      if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "null" { return [] }
      guard let sequence = node.sequence else { throw fail(node, "\(field): must be a list") }
      return Array(sequence)
    }

    func string(_ mapping: Node.Mapping, _ key: String, _ field: String, required: Bool = false) throws -> String? {
      guard let value = mapping[key] else {
        if required { throw fail(nil, "\(field).\(key): missing") }
        return nil
      }
      guard case .scalar(let scalar) = value else { throw fail(value, "\(field).\(key): must be a string") }
      return scalar.string
    }

    func stringMap(_ node: Node?, _ field: String) throws -> [String: String] {
      guard let node else { return [:] }
      guard let mapping = node.mapping else { throw fail(node, "\(field): must be a mapping") }
      var result: [String: String] = [:]
      for (key, value) in mapping {
        guard let name = key.string, case .scalar(let scalar) = value else {
          throw fail(value, "\(field): keys and values must be strings")
        }
        result[name] = scalar.string
      }
      return result
    }

    mutating func spec(_ root: Node) throws -> ComplianceSpec {
      let top = try mapping(root, "spec", "spec")
      guard let name = try string(top, "name", "spec", required: true),
        let uuid = try string(top, "uuid", "spec", required: true)
      else { throw fail(root, "spec: name and uuid are required") }
      let url = try string(top, "url", "spec") ?? ""
      var variables: [String] = []
      for item in try sequence(top["variables"], "variables") {
        if let text = item.string {
          variables.append(text)
        } else if let map = item.mapping {
          variables.append(contentsOf: map.compactMap { $0.key.string })
        }
      }
      var testcases: [SpecTestcase] = []
      var seen: Set<String> = []
      for (index, scriptNode) in try sequence(top["scripts"], "scripts").enumerated() {
        let script = try mapping(scriptNode, "scripts", "scripts[\(index)]")
        let automated = script["executable"] != nil
        for (position, testcaseNode) in try sequence(script["testcases"], "scripts[\(index)].testcases").enumerated() {
          let field = "scripts[\(index)].testcases[\(position)]"
          let map = try mapping(testcaseNode, "testcases", field)
          guard let id = try string(map, "id", field, required: true) else { continue }
          if !seen.insert(id).inserted { throw fail(testcaseNode, "\(field): duplicate testcase '\(id)'") }
          testcases.append(
            SpecTestcase(
              id: id, description: try string(map, "description", field), url: try string(map, "url", field),
              section: try string(map, "section", field), automated: automated))
        }
      }
      var modules: [SpecModule] = []
      for (index, moduleNode) in try sequence(top["modules"], "modules").enumerated() {
        let field = "modules[\(index)]"
        let map = try mapping(moduleNode, "modules", field)
        guard let id = try string(map, "id", field, required: true) else { continue }
        if modules.contains(where: { $0.id == id }) { throw fail(moduleNode, "\(field): duplicate module id '\(id)'") }
        var targets: [String: [String]] = [:]
        if let targetsNode = map["targets"], let targetMap = targetsNode.mapping {
          for (key, value) in targetMap {
            let target = key.string ?? "?"
            var ids: [String] = []
            for item in try sequence(value, "\(field).targets.\(target)") {
              guard let testcase = item.string else {
                throw fail(item, "\(field).targets.\(target): ids must be strings")
              }
              guard seen.contains(testcase) else {
                throw fail(item, "\(field).targets.\(target): unknown testcase '\(testcase)'")
              }
              ids.append(testcase)
            }
            targets[target] = ids
          }
        } else if let targetsNode = map["targets"], targetsNode.mapping == nil {
          throw fail(targetsNode, "\(field).targets: must be a mapping")
        }
        modules.append(
          SpecModule(id: id, name: try string(map, "name", field), url: try string(map, "url", field), targets: targets)
        )
      }
      var versions: [SpecVersion] = []
      for (index, versionNode) in try sequence(top["versions"], "versions").enumerated() {
        let field = "versions[\(index)]"
        let map = try mapping(versionNode, "versions", field)
        guard let versionName = try string(map, "version", field, required: true) else { continue }
        if versions.contains(where: { $0.name == versionName }) {
          throw fail(versionNode, "\(field): duplicate version '\(versionName)'")
        }
        var includes: [(module: String, parameters: [String: String])] = []
        var targets: [String: Set<String>] = [:]
        for (position, includeNode) in try sequence(map["include"], "\(field).include").enumerated() {
          let includeField = "\(field).include[\(position)]"
          let moduleID: String
          var parameters: [String: String] = [:]
          if let text = includeNode.string {
            moduleID = text
          } else {
            let includeMap = try mapping(includeNode, "include", includeField)
            guard let ref = try string(includeMap, "ref", includeField, required: true) else { continue }
            moduleID = ref
            parameters = try stringMap(includeMap["parameters"], "\(includeField).parameters")
          }
          guard let module = modules.first(where: { $0.id == moduleID }) else {
            throw fail(includeNode, "\(includeField): unknown module '\(moduleID)'")
          }
          includes.append((moduleID, parameters))
          for (target, ids) in module.targets { targets[target, default: []].formUnion(ids) }
        }
        versions.append(
          SpecVersion(
            name: versionName, stabilizedAt: try string(map, "stabilized_at", field), includes: includes,
            targets: targets.mapValues { $0.sorted() }))
      }
      var timeline: [TimelineEntry] = []
      for (index, entryNode) in try sequence(top["timeline"], "timeline").enumerated() {
        let field = "timeline[\(index)]"
        guard let map = entryNode.mapping else { throw fail(entryNode, "\(field): must be a mapping") }
        guard let date = try string(map, "date", field, required: true), Self.isDate(date) else {
          throw fail(entryNode, "\(field).date: must be a date YYYY-MM-DD")
        }
        let validity = try stringMap(map["versions"], "\(field).versions")
        for versionName in validity.keys where !versions.contains(where: { $0.name == versionName }) {
          throw fail(map["versions"], "\(field).versions: unknown version '\(versionName)'")
        }
        timeline.append(TimelineEntry(date: date, versions: validity))
      }
      return ComplianceSpec(
        name: name, uuid: uuid, url: url, variables: variables, testcases: testcases, modules: modules,
        versions: versions, timeline: timeline)
    }

    static func isDate(_ text: String) -> Bool {
      text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil
    }
  }
}

extension Node {
  fileprivate var string: String? {
    if case .scalar(let scalar) = self { return scalar.string }
    return nil
  }
}
