/// How the SCS compliance check sees a name: valid v3, an old v1 name tolerated with a warning, or
/// invalid. Mirrors the reference strategy (v3 parser first, then v1 as tolerated).
public struct FlavorNameCheck: Sendable, Hashable {
  public enum Verdict: Sendable, Hashable {
    case valid(FlavorName)
    /// A v1 name (`SCS-2V:4`): not valid, but compliance checks only warn about it.
    case toleratedV1(FlavorName)
    case invalid(FlavorNameError)
  }

  public let name: String
  public let verdict: Verdict

  public init(_ name: String) {
    self.name = name
    do throws(FlavorNameError) {
      verdict = .valid(try FlavorNameParser(syntax: .v2).parse(name))
    } catch let v2Error {
      if let old = try? FlavorNameParser(syntax: .v1).parse(name) {
        verdict = .toleratedV1(old)
      } else {
        verdict = .invalid(v2Error)
      }
    }
  }

  public var isValid: Bool { if case .valid = verdict { true } else { false } }
  public var isToleratedV1: Bool { if case .toleratedV1 = verdict { true } else { false } }

  /// The properties, for a valid or a tolerated name.
  public var flavorName: FlavorName? {
    switch verdict {
    case .valid(let parsed), .toleratedV1(let parsed): parsed
    case .invalid: nil
    }
  }

  /// Why the name is not valid v3: the parse error, or for a v1 name which v3 name to use instead.
  public var error: FlavorNameError? {
    switch verdict {
    case .valid: nil
    case .toleratedV1(let parsed):
      FlavorNameError(
        name: name, part: .syntax, text: name,
        reason: "v1 syntax (':' separators) is only tolerated with a warning; the v3 name is '\(parsed.canonical)'")
    case .invalid(let error): error
    }
  }
}
