import Foundation
import Metering

/// What rating needs from metering's view besides the ledger: names, which stack (rack) a server belongs
/// to, which servers a volume is attached to, and when stacks existed (for stack fees). Built once from
/// `ViewEntry`s (servers, volumes, images and stacks; other kinds are ignored).
public struct RatingView: Sendable {
  public struct Stack: Sendable, Hashable {
    public var id: String
    public var projectID: String
    public var name: String?
    public var from: Date
    public var deletedAt: Date?
  }

  var names: [ResourceKey: String] = [:]
  var serverStacks: [String: String] = [:]
  var volumeServers: [String: [String]] = [:]
  /// Stacks per project, ordered by id.
  public private(set) var stacks: [String: [Stack]] = [:]
  var stackNames: [String: String] = [:]

  /// The kinds of view entries rating reads (names of servers, volumes and images; racks; project names).
  public static let kinds: [ResourceReference.Kind] = [.server, .volume, .image, .stack, .project]

  public init(entries: [ViewEntry] = []) {
    for entry in entries {
      guard let snapshot = entry.snapshot else { continue }
      if let name = snapshot.name, !name.isEmpty { names[entry.key] = name }
      switch entry.key.kind {
      case .server:
        if let stack = snapshot.stackID { serverStacks[entry.key.id] = stack }
      case .volume:
        if !snapshot.attachedTo.isEmpty { volumeServers[entry.key.id] = snapshot.attachedTo.sorted() }
      case .stack:
        if let name = snapshot.name { stackNames[entry.key.id] = name }
        if let project = snapshot.projectID {
          stacks[project, default: []].append(
            Stack(
              id: entry.key.id, projectID: project, name: snapshot.name, from: entry.firstObserved,
              deletedAt: entry.deletedAt))
        }
      default: break
      }
    }
    for project in stacks.keys { stacks[project]!.sort { $0.id < $1.id } }
  }

  public func name(of key: ResourceKey) -> String? { names[key] }

  public func stackName(_ id: String) -> String? { stackNames[id] }

  /// A server's stack; for a volume, the stack of the first server (by id) it is attached to that has one.
  public func stackID(of key: ResourceKey) -> String? {
    switch key.kind {
    case .server: return serverStacks[key.id]
    case .volume: return volumeServers[key.id]?.lazy.compactMap { serverStacks[$0] }.first
    default: return nil
    }
  }
}
