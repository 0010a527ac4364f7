import Foundation
import Metering
import OpenStack
import StewardServer

/// What the portal lets a team do to a device or rack, in Concertim's words: switch on, switch off,
/// suspend, resume, destroy.
public enum ResourceAction: String, Sendable, CaseIterable {
  case on, off, suspend, resume, destroy

  /// The actions that make sense for a kind; volumes can only be destroyed.
  public static func allowed(for kind: ResourceReference.Kind) -> [ResourceAction] {
    switch kind {
    case .server, .stack: return allCases
    case .volume: return [.destroy]
    default: return []
    }
  }

  /// Parses `{"action": "off"}`; 400 naming the field otherwise.
  static func parse(_ body: [String: OpenStack.JSONValue], kind: ResourceReference.Kind) throws -> ResourceAction {
    guard let value = body["action"], value != .null else {
      throw APIError.badRequest(
        "action: required (one of \(allowed(for: kind).map(\.rawValue).joined(separator: ", ")))")
    }
    guard case .string(let text) = value, let action = ResourceAction(rawValue: text.lowercased()) else {
      throw APIError.badRequest(
        "action: '\(value)' is not an action (one of \(allowed(for: kind).map(\.rawValue).joined(separator: ", ")))")
    }
    guard allowed(for: kind).contains(action) else {
      throw APIError.badRequest(
        "action: a \(kind.rawValue) cannot be '\(action.rawValue)' (only \(allowed(for: kind).map(\.rawValue).joined(separator: ", ")))"
      )
    }
    return action
  }
}
