import Foundation
import StewardCore
import Yams

/// The clouds.yaml and secure.yaml handed to the new user: the password lives only in secure.yaml, so
/// clouds.yaml can be shared or checked in while secure.yaml stays private (both are written 0600).
public struct TenantCredentials: Sendable, Equatable {
  public var cloudName: String
  public var authURL: String
  public var regionName: String?
  public var interface: String
  public var domain: String
  public var user: String
  public var project: String
  public var password: String

  public var cloudsYAML: String {
    var auth: Record = ["auth_url": .string(authURL), "username": .string(user)]
    auth.append("user_domain_name", .string(domain))
    auth.append("project_name", .string(project))
    auth.append("project_domain_name", .string(domain))
    var cloud: Record = ["auth": .object(auth)]
    if let regionName { cloud.append("region_name", .string(regionName)) }
    cloud.append("interface", .string(interface))
    cloud.append("identity_api_version", 3)
    return Renderer.yaml(.object(["clouds": .object(Record([(key: cloudName, value: .object(cloud))]))]))
  }

  public var secureYAML: String {
    Renderer.yaml(
      .object([
        "clouds": .object(
          Record([(key: cloudName, value: .object(["auth": .object(["password": .string(password)])]))]))
      ]))
  }

  /// The password stored for `cloud` in an existing secure.yaml, so a re-run keeps it instead of
  /// generating a new one.
  public static func storedPassword(inSecureFile path: String, cloud: String) -> String? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8),
      let root = try? Yams.load(yaml: text) as? [String: Any],
      let clouds = root["clouds"] as? [String: Any], let entry = clouds[cloud] as? [String: Any],
      let auth = entry["auth"] as? [String: Any]
    else { return nil }
    return auth["password"] as? String
  }

  /// A password of 24 letters and digits (about 143 bits): no character needs quoting in YAML or a shell.
  public static func generatePassword() -> String {
    let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
    var generator = SystemRandomNumberGenerator()
    return String((0..<24).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
  }

  /// Writes `content` to `path` with mode 0600, atomically: readers see the old or the new file, never half.
  public static func writePrivateFile(_ path: String, content: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).\(UUID().uuidString)")
    guard
      FileManager.default.createFile(
        atPath: temporary.path, contents: Data(content.utf8), attributes: [.posixPermissions: 0o600])
    else {
      throw OnboardingError.credentials("cannot write \(temporary.path)")
    }
    if rename(temporary.path, url.path) != 0 {
      try? FileManager.default.removeItem(at: temporary)
      throw OnboardingError.credentials("cannot move credentials into \(path): \(String(cString: strerror(errno)))")
    }
  }
}
