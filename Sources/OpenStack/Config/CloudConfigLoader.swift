import Foundation
import Yams

/// Finds and resolves clouds the way openstacksdk does, so an operator's existing files work unchanged.
///
/// The rules:
/// - clouds.yaml is the first file that exists of: `$OS_CLIENT_CONFIG_FILE`, `./clouds.yaml`,
///   `~/.config/openstack/clouds.yaml`, `/etc/openstack/clouds.yaml` (each also as `.yml`/`.json`).
/// - secure.yaml is found the same way (`$OS_CLIENT_SECURE_FILE`, then the same folders) and deep-merged
///   over clouds.yaml: its values win, maps merge key by key, so it can hold just the passwords.
/// - The cloud is `--os-cloud`, else `$OS_CLOUD`; with neither, a cloud named `envvars` is built from
///   OS_* variables (`OS_AUTH_URL`, `OS_USERNAME`, `OS_PASSWORD`, `OS_PROJECT_NAME`, …) as the
///   openstack CLI does. OS_* variables do not change a cloud that was named.
/// - `auth.default_domain` (or `OS_DEFAULT_DOMAIN`) stands in for missing user/project domain ids.
/// - `auth_type` defaults from what is present: an application credential secret, a bare token, or a password.
/// - `--os-region-name` overrides `region_name`; `regions: [...]` supplies the first as default.
public struct CloudConfigLoader: Sendable {
  public var environment: [String: String]
  public var currentDirectory: String
  public var homeDirectory: String

  public init(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: String = FileManager.default.currentDirectoryPath,
    homeDirectory: String = NSHomeDirectory()
  ) {
    self.environment = environment
    self.currentDirectory = currentDirectory
    self.homeDirectory = homeDirectory
  }

  static let configNames = ["clouds.yaml", "clouds.yml", "clouds.json"]
  static let secureNames = ["secure.yaml", "secure.yml", "secure.json"]

  func searchDirectories() -> [String] {
    [currentDirectory, homeDirectory + "/.config/openstack", "/etc/openstack"]
  }

  /// The clouds.yaml in effect, or `nil` when there is none.
  public func cloudsFile() -> String? {
    firstExisting(override: environment["OS_CLIENT_CONFIG_FILE"], names: Self.configNames)
  }

  public func secureFile() -> String? {
    firstExisting(override: environment["OS_CLIENT_SECURE_FILE"], names: Self.secureNames)
  }

  private func firstExisting(override: String?, names: [String]) -> String? {
    if let override, !override.isEmpty, FileManager.default.fileExists(atPath: override) {
      return override
    }
    for directory in searchDirectories() {
      for name in names {
        let path = directory + "/" + name
        if FileManager.default.fileExists(atPath: path) { return path }
      }
    }
    return nil
  }

  /// Names of the clouds defined in the files, sorted.
  public func cloudNames() throws -> [String] {
    try mergedClouds().clouds.keys.sorted()
  }

  /// Resolves the cloud to use. `name` is `--os-cloud`; `regionName` is `--os-region-name`.
  public func load(cloud name: String? = nil, regionName: String? = nil) throws -> CloudConfig {
    let chosen = name.flatMap { $0.isEmpty ? nil : $0 } ?? environment["OS_CLOUD"].flatMap { $0.isEmpty ? nil : $0 }
    var config: CloudConfig
    if let chosen {
      let merged = try mergedClouds()
      guard let entry = merged.clouds[chosen] else {
        let known = merged.clouds.keys.sorted()
        let whereText = merged.file.map { "in \($0)" } ?? "(no clouds.yaml found)"
        let knownText = known.isEmpty ? "" : "; known clouds: \(known.joined(separator: ", "))"
        throw ConfigError("cloud '\(chosen)' not found \(whereText)\(knownText)")
      }
      guard let dictionary = entry as? [String: Any] else {
        throw ConfigError("cloud '\(chosen)' in \(merged.file ?? "clouds.yaml") is not a mapping")
      }
      config = try Self.resolve(name: chosen, dictionary: dictionary, source: merged.file)
    } else if let fromEnvironment = try environmentCloud() {
      config = fromEnvironment
    } else {
      throw ConfigError(
        "no cloud given: use --os-cloud NAME, set OS_CLOUD, or set OS_AUTH_URL and credentials")
    }
    if let regionName, !regionName.isEmpty {
      config.regionName = regionName
    } else if name == nil, let region = environment["OS_REGION_NAME"], !region.isEmpty, config.name == "envvars" {
      config.regionName = region
    }
    return config
  }

  // MARK: - files

  struct MergedClouds {
    var clouds: [String: Any]
    var file: String?
  }

  func mergedClouds() throws -> MergedClouds {
    guard let file = cloudsFile() else { return MergedClouds(clouds: [:], file: nil) }
    var root = try Self.readMapping(file)
    if let secure = secureFile() {
      root = Self.deepMerge(root, try Self.readMapping(secure))
    }
    guard let clouds = root["clouds"] else { return MergedClouds(clouds: [:], file: file) }
    guard let mapping = clouds as? [String: Any] else {
      throw ConfigError("\(file): 'clouds' must be a mapping of cloud names")
    }
    return MergedClouds(clouds: mapping, file: file)
  }

  static func readMapping(_ path: String) throws -> [String: Any] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError("\(path): cannot be read")
    }
    let text = String(decoding: data, as: UTF8.self)
    let loaded: Any?
    do {
      loaded = try Yams.load(yaml: text)
    } catch let error as YamlError {
      throw ConfigError("\(path): \(Self.describe(error))")
    } catch {
      throw ConfigError("\(path): \(error)")
    }
    guard let loaded else { return [:] }
    guard let mapping = loaded as? [String: Any] else {
      throw ConfigError("\(path): the top level must be a mapping")
    }
    return mapping
  }

  static func describe(_ error: YamlError) -> String {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
      let contextText = context.map { "\($0.text) " } ?? ""
      return "line \(mark.line), column \(mark.column): \(contextText)\(problem)"
    default:
      return "\(error)"
    }
  }

  /// secure.yaml over clouds.yaml: maps merge recursively, anything else is replaced.
  static func deepMerge(_ base: [String: Any], _ overlay: [String: Any]) -> [String: Any] {
    var result = base
    for (key, value) in overlay {
      if let left = result[key] as? [String: Any], let right = value as? [String: Any] {
        result[key] = deepMerge(left, right)
      } else {
        result[key] = value
      }
    }
    return result
  }

  // MARK: - resolution

  static func string(_ value: Any?) -> String? {
    switch value {
    case let text as String: return text
    case let number as Int: return String(number)
    case let number as Double: return String(number)
    case let flag as Bool: return flag ? "true" : "false"
    default: return nil
    }
  }

  static func bool(_ value: Any?) -> Bool? {
    switch value {
    case let flag as Bool: return flag
    case let text as String:
      switch text.lowercased() {
      case "true", "yes", "1", "on": return true
      case "false", "no", "0", "off": return false
      default: return nil
      }
    case let number as Int: return number != 0
    default: return nil
    }
  }

  static func resolve(name: String, dictionary: [String: Any], source: String?) throws -> CloudConfig {
    let place = "cloud '\(name)'" + (source.map { " in \($0)" } ?? "")
    let authDictionary: [String: Any]
    switch dictionary["auth"] {
    case nil: authDictionary = [:]
    case let mapping as [String: Any]: authDictionary = mapping
    default: throw ConfigError("\(place): 'auth' must be a mapping")
    }
    func auth(_ key: String) -> String? {
      string(authDictionary[key]).flatMap { $0.isEmpty ? nil : $0 }
    }
    guard let authURL = auth("auth_url") else {
      throw ConfigError("\(place): auth.auth_url is missing")
    }
    guard let parsedURL = URL(string: authURL), parsedURL.scheme == "http" || parsedURL.scheme == "https",
      parsedURL.host != nil
    else {
      throw ConfigError("\(place): auth.auth_url '\(authURL)' is not an http(s) URL")
    }
    var settings = AuthSettings(authURL: authURL)
    settings.username = auth("username")
    settings.userID = auth("user_id")
    settings.password = auth("password")
    settings.userDomainName = auth("user_domain_name")
    settings.userDomainID = auth("user_domain_id")
    settings.projectName = auth("project_name") ?? auth("tenant_name")
    settings.projectID = auth("project_id") ?? auth("tenant_id")
    settings.projectDomainName = auth("project_domain_name")
    settings.projectDomainID = auth("project_domain_id")
    settings.domainName = auth("domain_name")
    settings.domainID = auth("domain_id")
    settings.systemScope = auth("system_scope")
    settings.token = auth("token")
    settings.applicationCredentialID = auth("application_credential_id")
    settings.applicationCredentialName = auth("application_credential_name")
    settings.applicationCredentialSecret = auth("application_credential_secret")
    if let defaultDomain = auth("default_domain") ?? auth("default_domain_id") {
      if settings.userDomainID == nil && settings.userDomainName == nil { settings.userDomainID = defaultDomain }
      if settings.projectDomainID == nil && settings.projectDomainName == nil {
        settings.projectDomainID = defaultDomain
      }
    }

    let authType: AuthType
    if let declared = string(dictionary["auth_type"]) {
      guard let parsed = AuthType(configValue: declared) else {
        throw ConfigError(
          "\(place): auth_type '\(declared)' is not supported (use password, v3applicationcredential or token)")
      }
      authType = parsed
    } else if settings.applicationCredentialSecret != nil {
      authType = .applicationCredential
    } else if settings.token != nil && settings.password == nil {
      authType = .token
    } else {
      authType = .password
    }
    try validate(settings, authType: authType, place: place)

    var region = string(dictionary["region_name"])
    if region == nil, let regions = dictionary["regions"] as? [Any], let first = regions.first {
      region = string(first) ?? string((first as? [String: Any])?["name"])
    }
    var interface = string(dictionary["interface"]) ?? string(dictionary["endpoint_type"]) ?? "public"
    interface = interface.lowercased().replacingOccurrences(of: "url", with: "")
    guard ["public", "internal", "admin"].contains(interface) else {
      throw ConfigError("\(place): interface '\(interface)' must be public, internal or admin")
    }
    var verify = bool(dictionary["verify"]) ?? true
    if bool(dictionary["insecure"]) == true { verify = false }
    let cacert = string(dictionary["cacert"])
    if let cacert, !FileManager.default.fileExists(atPath: cacert) {
      throw ConfigError("\(place): cacert file '\(cacert)' does not exist")
    }
    var timeout = 60.0
    if let rawTimeout = dictionary["api_timeout"] {
      guard let value = string(rawTimeout).flatMap(Double.init), value > 0 else {
        throw ConfigError("\(place): api_timeout must be a positive number of seconds")
      }
      timeout = value
    }
    var overrides: [String: String] = [:]
    for (key, value) in dictionary where key.hasSuffix("_endpoint_override") {
      if let url = string(value) {
        let service = String(key.dropLast("_endpoint_override".count)).replacingOccurrences(of: "_", with: "-")
        overrides[service] = url
      }
    }
    return CloudConfig(
      name: name, authType: authType, auth: settings, regionName: region, interface: interface,
      verifyTLS: verify, caCertificateFile: cacert, apiTimeout: timeout, endpointOverrides: overrides,
      sourceFile: source)
  }

  static func validate(_ settings: AuthSettings, authType: AuthType, place: String) throws {
    switch authType {
    case .password:
      if settings.username == nil && settings.userID == nil {
        throw ConfigError("\(place): auth.username (or auth.user_id) is missing")
      }
      if settings.password == nil {
        throw ConfigError("\(place): auth.password is missing (put it in clouds.yaml or secure.yaml)")
      }
      if settings.username != nil && settings.userID == nil && settings.userDomainName == nil
        && settings.userDomainID == nil
      {
        throw ConfigError("\(place): auth.user_domain_name (or user_domain_id) is required with a username")
      }
      if settings.projectName != nil && settings.projectID == nil && settings.projectDomainName == nil
        && settings.projectDomainID == nil
      {
        throw ConfigError(
          "\(place): auth.project_domain_name (or project_domain_id) is required with a project_name")
      }
    case .applicationCredential:
      if settings.applicationCredentialSecret == nil {
        throw ConfigError("\(place): auth.application_credential_secret is missing")
      }
      if settings.applicationCredentialID == nil {
        if settings.applicationCredentialName == nil {
          throw ConfigError("\(place): auth.application_credential_id (or _name with the user) is missing")
        }
        if settings.userID == nil && settings.username == nil {
          throw ConfigError("\(place): an application_credential_name needs auth.username or auth.user_id")
        }
      }
    case .token:
      if settings.token == nil {
        throw ConfigError("\(place): auth.token is missing")
      }
    }
  }

  /// The `envvars` cloud from OS_* variables, or `nil` when OS_AUTH_URL is unset.
  func environmentCloud() throws -> CloudConfig? {
    func env(_ key: String) -> String? {
      environment[key].flatMap { $0.isEmpty ? nil : $0 }
    }
    guard env("OS_AUTH_URL") != nil else { return nil }
    let authKeys: [(String, String)] = [
      ("OS_AUTH_URL", "auth_url"), ("OS_USERNAME", "username"), ("OS_USER_ID", "user_id"),
      ("OS_PASSWORD", "password"), ("OS_USER_DOMAIN_NAME", "user_domain_name"),
      ("OS_USER_DOMAIN_ID", "user_domain_id"), ("OS_PROJECT_NAME", "project_name"),
      ("OS_TENANT_NAME", "tenant_name"), ("OS_PROJECT_ID", "project_id"), ("OS_TENANT_ID", "tenant_id"),
      ("OS_PROJECT_DOMAIN_NAME", "project_domain_name"), ("OS_PROJECT_DOMAIN_ID", "project_domain_id"),
      ("OS_DOMAIN_NAME", "domain_name"), ("OS_DOMAIN_ID", "domain_id"), ("OS_SYSTEM_SCOPE", "system_scope"),
      ("OS_TOKEN", "token"), ("OS_APPLICATION_CREDENTIAL_ID", "application_credential_id"),
      ("OS_APPLICATION_CREDENTIAL_NAME", "application_credential_name"),
      ("OS_APPLICATION_CREDENTIAL_SECRET", "application_credential_secret"),
      ("OS_DEFAULT_DOMAIN", "default_domain"),
    ]
    var auth: [String: Any] = [:]
    for (variable, key) in authKeys {
      if let value = env(variable) { auth[key] = value }
    }
    var cloud: [String: Any] = ["auth": auth]
    let topKeys: [(String, String)] = [
      ("OS_AUTH_TYPE", "auth_type"), ("OS_REGION_NAME", "region_name"), ("OS_INTERFACE", "interface"),
      ("OS_ENDPOINT_TYPE", "endpoint_type"), ("OS_CACERT", "cacert"), ("OS_INSECURE", "insecure"),
      ("OS_API_TIMEOUT", "api_timeout"),
    ]
    for (variable, key) in topKeys {
      if let value = env(variable) { cloud[key] = value }
    }
    return try Self.resolve(name: "envvars", dictionary: cloud, source: nil)
  }
}
