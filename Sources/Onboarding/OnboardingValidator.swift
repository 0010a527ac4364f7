import Foundation
import OpenStack
import StewardCore

/// Proves onboarding worked the way the tenant will experience it: authenticates as the new user with
/// exactly the files that were written, and lists what a member can see.
public struct OnboardingValidator: Sendable {
  public let spec: TenantSpec
  public let credentials: CredentialOptions

  public init(spec: TenantSpec, credentials: CredentialOptions) {
    self.spec = spec
    self.credentials = credentials
  }

  public struct Check: Sendable, Equatable {
    public let name: String
    public let passed: Bool
    public let detail: String
  }

  public struct Report: Sendable, Equatable {
    public var checks: [Check]
    public var passed: Bool { checks.allSatisfy(\.passed) }

    public func render(format: OutputFormat) -> String {
      let records: [Record] = checks.map {
        ["Check": .string($0.name), "Result": .string($0.passed ? "PASS" : "FAIL"), "Detail": .string($0.detail)]
      }
      return Renderer.list(records, columns: ["Check", "Result", "Detail"], format: format)
    }
  }

  public func validate() async -> Report {
    var checks: [Check] = []
    func record(_ name: String, _ body: () async throws -> String) async {
      do {
        checks.append(Check(name: name, passed: true, detail: try await body()))
      } catch {
        checks.append(Check(name: name, passed: false, detail: String(describing: error)))
      }
    }
    let cloudName = credentials.cloudName ?? spec.project
    let loader = CloudConfigLoader(environment: [
      "OS_CLIENT_CONFIG_FILE": credentials.cloudsPath, "OS_CLIENT_SECURE_FILE": credentials.securePath,
    ])
    let config: CloudConfig
    do {
      config = try loader.load(cloud: cloudName)
      checks.append(
        Check(name: "credential files", passed: true, detail: "cloud '\(cloudName)' in \(credentials.cloudsPath)"))
    } catch {
      return Report(checks: [Check(name: "credential files", passed: false, detail: String(describing: error))])
    }
    let session = Session(config: config, retryPolicy: RetryPolicy(maxAttempts: 3))
    await record("authenticate as \(spec.user)") {
      let token = try await session.currentToken()
      let roles = Set(token.roles.compactMap(\.name))
      let missing = Set(spec.projectRoles).subtracting(roles)
      guard token.project?.name == spec.project else {
        throw OnboardingError.credentials("token is scoped to \(token.scopeDescription), not project \(spec.project)")
      }
      guard missing.isEmpty else {
        throw OnboardingError.credentials("token lacks roles \(missing.sorted().joined(separator: ", "))")
      }
      return "project \(spec.project), roles \(roles.sorted().joined(separator: ", "))"
    }
    await record("list servers") {
      "\(try await session.compute().servers.list().collect().count) servers"
    }
    await record("list images") {
      "\(try await session.image().images.list().collect().count) images visible"
    }
    await record("list networks") {
      let networks = try await session.network().networks.list().collect()
      if spec.network != nil {
        let name = OnboardingPlanner.networkName(spec)
        guard networks.contains(where: { $0.name == name }) else {
          throw OnboardingError.credentials("network \(name) is not visible to the user")
        }
        return "\(networks.count) networks, including \(name)"
      }
      return "\(networks.count) networks"
    }
    await record("default security group") {
      let groups = try await session.network().securityGroups.list([URLQueryItem(name: "name", value: "default")])
        .collect()
      guard let group = groups.first else {
        throw OnboardingError.credentials("the project has no default security group")
      }
      return "default (\(group.securityGroupRules?.count ?? 0) rules)"
    }
    await session.shutdown()
    if spec.domainManager {
      var domainConfig = config
      domainConfig.auth.projectName = nil
      domainConfig.auth.projectDomainName = nil
      domainConfig.auth.domainName = spec.domain
      let managerSession = Session(config: domainConfig, retryPolicy: RetryPolicy(maxAttempts: 3))
      await record("domain manager: list users of \(spec.domain)") {
        let token = try await managerSession.currentToken()
        let users = try await managerSession.identity().users.list(domainID: token.domain?.id)
        return "\(users.count) users in domain \(spec.domain)"
      }
      await managerSession.shutdown()
    }
    return Report(checks: checks)
  }
}
