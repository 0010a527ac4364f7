import Foundation
import Yams

/// What a caller brings to a policy check: lower-cased role names and the scalar credentials
/// (`project_id`, `user_id`, `domain_id`, `system_scope`).
public struct PolicyCredentials: Sendable {
  public var roles: Set<String>
  public var values: [String: String]

  public init(roles: Set<String>, values: [String: String]) {
    self.roles = roles
    self.values = values
  }
}

/// Rules in oslo.policy's language (`role:admin or (role:member and project_id:%(offer.project_id)s)`, `rule:x`,
/// `not`, `@`, `!`), defaults in code, any rule overridable by a YAML or JSON file as operators do for every
/// OpenStack service. A rule that is referenced but defined nowhere denies.
public struct Policy: Sendable {
  public let rules: [String: PolicyRule]
  public let source: [String: String]

  public init(defaults: [String: String], overrides: [String: String] = [:]) throws {
    var merged = defaults
    for (name, text) in overrides { merged[name] = text }
    var parsed: [String: PolicyRule] = [:]
    for (name, text) in merged {
      do {
        parsed[name] = try PolicyParser.parse(text)
      } catch let error as PolicyError {
        throw PolicyError("rule '\(name)': \(error.message)")
      }
    }
    rules = parsed
    source = merged
  }

  /// Defaults plus the overrides in `file` (YAML or JSON: `"rule name": "expression"`).
  public static func load(defaults: [String: String], file: String?) throws -> Policy {
    guard let file else { return try Policy(defaults: defaults) }
    let text: String
    do {
      text = try String(contentsOfFile: file, encoding: .utf8)
    } catch {
      throw PolicyError("\(file): cannot read the policy file (\(error.localizedDescription))")
    }
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch {
      throw PolicyError("\(file): not valid YAML or JSON: \(error)")
    }
    var overrides: [String: String] = [:]
    if let node {
      guard let mapping = node.mapping else { throw PolicyError("\(file): expected a mapping of rule name to rule") }
      for (key, value) in mapping {
        guard let name = key.string else {
          throw PolicyError("\(file):\(key.mark.map { "\($0.line)" } ?? "?"): rule names must be strings")
        }
        guard let rule = value.string else {
          throw PolicyError("\(file):\(value.mark.map { "\($0.line)" } ?? "?"): rule '\(name)' must be a string")
        }
        overrides[name] = rule
      }
    }
    do {
      return try Policy(defaults: defaults, overrides: overrides)
    } catch let error as PolicyError {
      throw PolicyError("\(file): \(error.message)")
    }
  }

  /// True when rule `name` lets `credentials` act on `target` (keys like `offer.project_id`).
  public func allows(_ name: String, _ credentials: PolicyCredentials, target: [String: String] = [:]) -> Bool {
    guard let rule = rules[name] else { return false }
    var visiting: Set<String> = [name]
    return evaluate(rule, credentials, target, &visiting)
  }

  private func evaluate(
    _ rule: PolicyRule, _ credentials: PolicyCredentials, _ target: [String: String], _ visiting: inout Set<String>
  ) -> Bool {
    switch rule {
    case .always: return true
    case .never: return false
    case .role(let role): return credentials.roles.contains(role.lowercased())
    case .rule(let name):
      guard let referenced = rules[name], !visiting.contains(name) else { return false }
      visiting.insert(name)
      defer { visiting.remove(name) }
      return evaluate(referenced, credentials, target, &visiting)
    case .generic(let kind, let match):
      let expected: String?
      if match.hasPrefix("%("), match.hasSuffix(")s") {
        expected = target[String(match.dropFirst(2).dropLast(2))]
      } else {
        expected = match
      }
      guard let expected, !expected.isEmpty else { return false }
      guard let actual = credentials.values[kind], !actual.isEmpty else { return false }
      return actual.lowercased() == expected.lowercased()
    case .not(let inner): return !evaluate(inner, credentials, target, &visiting)
    case .and(let parts): return parts.allSatisfy { evaluate($0, credentials, target, &visiting) }
    case .or(let parts): return parts.contains { evaluate($0, credentials, target, &visiting) }
    }
  }
}

public indirect enum PolicyRule: Sendable, Equatable {
  case always
  case never
  case rule(String)
  case role(String)
  /// `kind:match`, where match is a literal or `%(target.key)s`.
  case generic(String, String)
  case not(PolicyRule)
  case and([PolicyRule])
  case or([PolicyRule])
}

public struct PolicyError: Error, CustomStringConvertible, Sendable {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Recursive descent over oslo.policy's grammar: `or` binds loosest, then `and`, then `not`.
enum PolicyParser {
  static func parse(_ text: String) throws -> PolicyRule {
    let tokens = tokenize(text)
    if tokens.isEmpty { return .always }
    var position = 0
    let rule = try parseOr(tokens, &position)
    guard position == tokens.count else {
      throw PolicyError("unexpected '\(tokens[position])' in '\(text)'")
    }
    return rule
  }

  static func tokenize(_ text: String) -> [String] {
    var tokens: [String] = []
    for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
      var word = Substring(word)
      while word.first == "(" {
        tokens.append("(")
        word = word.dropFirst()
      }
      var closing = 0
      // `%(x)s` ends in "s", so trailing parentheses always close groups.
      while word.last == ")" {
        closing += 1
        word = word.dropLast()
      }
      if !word.isEmpty { tokens.append(String(word)) }
      tokens += Array(repeating: ")", count: closing)
    }
    return tokens
  }

  static func parseOr(_ tokens: [String], _ position: inout Int) throws -> PolicyRule {
    var parts = [try parseAnd(tokens, &position)]
    while position < tokens.count, tokens[position].lowercased() == "or" {
      position += 1
      parts.append(try parseAnd(tokens, &position))
    }
    return parts.count == 1 ? parts[0] : .or(parts)
  }

  static func parseAnd(_ tokens: [String], _ position: inout Int) throws -> PolicyRule {
    var parts = [try parseNot(tokens, &position)]
    while position < tokens.count, tokens[position].lowercased() == "and" {
      position += 1
      parts.append(try parseNot(tokens, &position))
    }
    return parts.count == 1 ? parts[0] : .and(parts)
  }

  static func parseNot(_ tokens: [String], _ position: inout Int) throws -> PolicyRule {
    guard position < tokens.count else { throw PolicyError("the rule ends too early") }
    if tokens[position].lowercased() == "not" {
      position += 1
      return .not(try parseNot(tokens, &position))
    }
    if tokens[position] == "(" {
      position += 1
      let inner = try parseOr(tokens, &position)
      guard position < tokens.count, tokens[position] == ")" else { throw PolicyError("missing ')'") }
      position += 1
      return inner
    }
    let token = tokens[position]
    position += 1
    return try check(token)
  }

  static func check(_ token: String) throws -> PolicyRule {
    if token == "@" { return .always }
    if token == "!" { return .never }
    guard let colon = token.firstIndex(of: ":") else {
      throw PolicyError("'\(token)' is not a check (expected kind:value, @ or !)")
    }
    let kind = String(token[..<colon])
    let value = String(token[token.index(after: colon)...])
    guard !kind.isEmpty, !value.isEmpty else { throw PolicyError("'\(token)' is not a check") }
    switch kind {
    case "rule": return .rule(value)
    case "role": return .role(value)
    default: return .generic(kind, value)
    }
  }
}
