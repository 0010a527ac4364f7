/// Why onboarding cannot go on; said before anything is changed wherever it can be known in advance.
public enum OnboardingError: Error, Sendable, Equatable, CustomStringConvertible {
  case invalidSpec(String)
  case forbiddenRole([String])
  case missingRoles([String])
  case externalNetwork(String)
  case credentials(String)
  case offboardingBlocked(String)
  case batchFile(String)

  public var description: String {
    switch self {
    case .invalidSpec(let message): return message
    case .forbiddenRole(let roles):
      return "refusing to grant \(roles.joined(separator: ", ")): onboarded tenants never get admin rights"
    case .missingRoles(let roles):
      return
        "these roles do not exist in Keystone: \(roles.joined(separator: ", ")) (create them, or choose other roles)"
    case .externalNetwork(let message): return message
    case .credentials(let message): return message
    case .offboardingBlocked(let message): return message
    case .batchFile(let message): return message
    }
  }
}
