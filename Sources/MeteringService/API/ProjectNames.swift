import Foundation
import OpenStack
import StewardServer

/// Project names by id for listings and the dashboard: Keystone's projects listed with the service's
/// credentials and cached for `ttl` (Keystone notifications carry only ids).
public protocol ProjectNameSource: Sendable {
  func names() async -> [String: String]
}

public struct NoProjectNames: ProjectNameSource {
  public init() {}
  public func names() async -> [String: String] { [:] }
}

public struct FixedProjectNames: ProjectNameSource {
  public let known: [String: String]
  public init(_ known: [String: String]) { self.known = known }
  public func names() async -> [String: String] { known }
}

/// Keystone's projects, listed and cached by `StewardServer.KeystoneProjectNames`.
extension KeystoneProjectNames: ProjectNameSource {}
