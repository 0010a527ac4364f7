import Foundation
import Logging
import OpenStack
import StewardServer

/// Password authentication through the OpenStack client, against the service's own Keystone: a short-lived
/// session with the user's credentials asks for a project-scoped token and is closed at once; the password
/// is not kept.
public struct KeystonePasswordAuthenticator: DashboardAuthenticator {
  let base: CloudConfig
  let logger: Logger

  public init(base: CloudConfig, logger: Logger) {
    self.base = base
    self.logger = logger
  }

  public func login(username: String, password: String, project: String?, domain: String) async throws -> (
    Caller, String
  ) {
    var auth = AuthSettings(authURL: base.auth.authURL)
    auth.username = username
    auth.password = password
    auth.userDomainName = domain
    if let project, !project.isEmpty {
      auth.projectName = project
      auth.projectDomainName = domain
    }
    let config = CloudConfig(
      name: "dashboard-login", authType: .password, auth: auth, regionName: base.regionName,
      interface: base.interface, verifyTLS: base.verifyTLS, caCertificateFile: base.caCertificateFile,
      apiTimeout: base.apiTimeout, endpointOverrides: base.endpointOverrides)
    // No retries: a wrong password must not be tried several times.
    let session = Session(config: config, retryPolicy: .none, logger: logger)
    do {
      let token = try await session.currentToken()
      await session.shutdown()
      return (Caller(token: token), token.value)
    } catch let error as OpenStackError {
      await session.shutdown()
      if error.status == 401 || error.status == 403 || error.status == 404 {
        throw APIError.unauthorized("Keystone refused the user name, password or project")
      }
      throw APIError(.serviceUnavailable, "Keystone could not be asked: \(error.message)")
    } catch {
      await session.shutdown()
      throw error
    }
  }
}
