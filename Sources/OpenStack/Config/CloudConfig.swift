import Foundation

/// One cloud, resolved from clouds.yaml + secure.yaml or from OS_* variables, ready to authenticate.
public struct CloudConfig: Sendable, Equatable {
  /// The cloud's name in clouds.yaml, or `envvars` when it came from OS_* variables.
  public var name: String
  public var authType: AuthType
  public var auth: AuthSettings
  public var regionName: String?
  /// Catalog interface: `public`, `internal` or `admin`.
  public var interface: String
  public var verifyTLS: Bool
  public var caCertificateFile: String?
  /// Seconds before any one request is abandoned (`api_timeout` in clouds.yaml).
  public var apiTimeout: Double
  /// `<service-type>_endpoint_override` keys, by service type.
  public var endpointOverrides: [String: String]
  /// The file the cloud was read from, for error messages; `nil` for environment clouds.
  public var sourceFile: String?

  public init(
    name: String, authType: AuthType, auth: AuthSettings, regionName: String? = nil,
    interface: String = "public", verifyTLS: Bool = true, caCertificateFile: String? = nil,
    apiTimeout: Double = 60, endpointOverrides: [String: String] = [:], sourceFile: String? = nil
  ) {
    self.name = name
    self.authType = authType
    self.auth = auth
    self.regionName = regionName
    self.interface = interface
    self.verifyTLS = verifyTLS
    self.caCertificateFile = caCertificateFile
    self.apiTimeout = apiTimeout
    self.endpointOverrides = endpointOverrides
    self.sourceFile = sourceFile
  }
}

public enum AuthType: String, Sendable, Equatable {
  case password
  case applicationCredential = "v3applicationcredential"
  case token

  /// Accepts the spellings openstacksdk accepts (`password`, `v3password`, `token`, `v3token`,
  /// `v3applicationcredential`, `application_credential`).
  public init?(configValue: String) {
    switch configValue.lowercased().replacingOccurrences(of: "-", with: "_") {
    case "password", "v3password": self = .password
    case "token", "v3token": self = .token
    case "v3applicationcredential", "application_credential", "applicationcredential":
      self = .applicationCredential
    default: return nil
    }
  }
}

/// The `auth:` block of a cloud, with the names clouds.yaml uses.
public struct AuthSettings: Sendable, Equatable {
  public var authURL: String
  public var username: String?
  public var userID: String?
  public var password: String?
  public var userDomainName: String?
  public var userDomainID: String?
  public var projectName: String?
  public var projectID: String?
  public var projectDomainName: String?
  public var projectDomainID: String?
  public var domainName: String?
  public var domainID: String?
  /// `all` for a system-scoped token.
  public var systemScope: String?
  public var token: String?
  public var applicationCredentialID: String?
  public var applicationCredentialName: String?
  public var applicationCredentialSecret: String?

  public init(authURL: String) {
    self.authURL = authURL
  }
}
