/// Where the new user's credentials go and where their password comes from.
public struct CredentialOptions: Sendable, Equatable {
  public enum PasswordSource: Sendable, Equatable {
    /// Read from a file (its first line).
    case file(String)
    /// Keep the one in an existing secure.yaml, else generate one.
    case generate
    /// Keep the one in an existing secure.yaml; fail if there is none.
    case existing
  }

  public var outputDirectory: String
  public var passwordSource: PasswordSource
  /// The Keystone URL written into the user's clouds.yaml; defaults to the operator's own.
  public var authURL: String?
  /// The cloud's name in the written files; defaults to the project name.
  public var cloudName: String?

  public init(outputDirectory: String, passwordSource: PasswordSource, authURL: String? = nil, cloudName: String? = nil)
  {
    self.outputDirectory = outputDirectory
    self.passwordSource = passwordSource
    self.authURL = authURL
    self.cloudName = cloudName
  }

  public var cloudsPath: String { outputDirectory + "/clouds.yaml" }
  public var securePath: String { outputDirectory + "/secure.yaml" }
}
