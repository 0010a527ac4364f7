import Foundation
import OpenStack
import StewardServer

/// Project names and IDs for the API's `project`, `owner`, `lessee` fields and for requests that name a
/// project instead of giving its ID.
public protocol ProjectDirectory: Sendable {
  /// The ID of the project with this ID or name; `LeasingError(.invalidInput)` when none.
  func resolve(_ ident: String) async throws -> String
  /// Known project names by ID (may be empty when Keystone cannot be asked).
  func names() async -> [String: String]
  /// `names()` plus those of `ids` it lacks, looked up one by one where the directory can.
  func names(including ids: [String]) async -> [String: String]
}

extension ProjectDirectory {
  public func names(including ids: [String]) async -> [String: String] { await names() }
}

/// No directory: IDs are taken as given and no names are shown.
public struct IdentityOnlyDirectory: ProjectDirectory {
  public init() {}
  public func resolve(_ ident: String) async throws -> String { ident }
  public func names() async -> [String: String] { [:] }
}

/// Keystone's projects listed with the service's credentials, cached for a minute.
public actor KeystoneProjectDirectory: ProjectDirectory {
  let session: Session
  let cache: KeystoneProjectNames

  public init(session: Session, ttl: TimeInterval = 60) {
    self.session = session
    cache = KeystoneProjectNames(session: session, ttl: ttl)
  }

  public func resolve(_ ident: String) async throws -> String {
    // IDs are taken as given (esi-leap's get_project_uuid_from_ident); only names are looked up.
    if Self.looksLikeID(ident) { return ident }
    let known = await names()
    if known[ident] != nil { return ident }
    let matches = known.filter { $0.value == ident }
    if matches.count == 1 { return matches.first!.key }
    if matches.count > 1 {
      throw LeasingError.invalid("several projects are named \(ident); use the project ID")
    }
    // Not in the (possibly stale) list: ask Keystone directly before giving up.
    if let project = try? await session.identity().projects.find(ident) { return project.id }
    if known.isEmpty { return ident }
    throw LeasingError.invalid("No project named \(ident).")
  }

  /// Keystone project IDs: 32 hex digits, or a UUID with dashes.
  static func looksLikeID(_ text: String) -> Bool {
    let hex = text.replacingOccurrences(of: "-", with: "")
    return hex.count == 32 && hex.allSatisfy(\.isHexDigit) && (text.count == 32 || text.count == 36)
  }

  public func names() async -> [String: String] { await cache.names() }

  public func names(including ids: [String]) async -> [String: String] { await cache.names(including: ids) }
}
