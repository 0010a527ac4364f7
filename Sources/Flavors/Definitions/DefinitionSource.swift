import Foundation
import OpenStack

/// Where definitions come from, named as openstack-flavor-manager names them (`--name`, `--url`), so
/// existing automation can switch tools without changing its arguments.
public enum DefinitionSource: Sendable, Equatable {
  /// Built in (scs-0103); `--url` is not used.
  case scs
  /// The osism set, fetched from its repository unless `--url` points elsewhere.
  case osism(url: String?)
  /// A local file; defaults to `/data/flavors.yaml` as with the peer.
  case local(path: String?)
  /// Any `http(s)://` or `file://` URL, or a path.
  case url(String)

  public static let osismURL = "https://raw.githubusercontent.com/osism/openstack-flavor-manager/main/flavors.yaml"

  /// `--name` and `--url` as given on the command line.
  public init(name: String, url: String?) throws(FlavorDefinitionError) {
    switch name {
    case "scs": self = .scs
    case "osism": self = .osism(url: url)
    case "local": self = .local(path: url)
    case "url":
      guard let url else { throw FlavorDefinitionError(file: "--url", message: "--name url needs --url") }
      self = .url(url)
    default:
      throw FlavorDefinitionError(
        file: "--name", message: "unknown definition set '\(name)'; use scs, osism, local or url")
    }
  }

  public func load() async throws -> FlavorDefinitionSet {
    switch self {
    case .scs: return BuiltinDefinitions.scs
    case .osism(let url): return try await Self.load(url ?? Self.osismURL)
    case .local(let path): return try await Self.load(path ?? "/data/flavors.yaml")
    case .url(let url): return try await Self.load(url)
    }
  }

  /// Reads a path, `file://` or `http(s)://` location and parses it.
  static func load(_ location: String) async throws -> FlavorDefinitionSet {
    let text: String
    if location.hasPrefix("http://") || location.hasPrefix("https://") {
      guard let url = URL(string: location) else {
        throw FlavorDefinitionError(file: location, message: "not a valid URL")
      }
      do {
        text = String(decoding: try await HTTPDownload.fetch(url), as: UTF8.self)
      } catch let error as OpenStackError {
        throw FlavorDefinitionError(file: location, message: error.description)
      }
    } else {
      let path =
        location.hasPrefix("file://") ? (URL(string: location)?.path ?? String(location.dropFirst(7))) : location
      do {
        text = try String(contentsOfFile: path, encoding: .utf8)
      } catch {
        throw FlavorDefinitionError(file: path, message: "cannot read the file (\(error.localizedDescription))")
      }
    }
    return try FlavorDefinitionLoader.load(text, file: location)
  }
}
