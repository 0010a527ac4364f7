import Foundation
import OpenStack

/// Names a target project the ways operators do: a cloud in clouds.yaml (its token's project), a
/// project ID, or a project name (which needs the right to list projects).
public struct ProjectResolver: Sendable {
  public let session: Session
  public let loader: CloudConfigLoader

  public init(session: Session, loader: CloudConfigLoader = CloudConfigLoader()) {
    self.session = session
    self.loader = loader
  }

  public func resolve(_ target: String) async throws -> String {
    if (try? loader.cloudNames().contains(target)) == true {
      let project = try await Session.with(try loader.load(cloud: target)) { try await $0.currentToken().project?.id }
      guard let project else {
        throw ImageSharingError.projectNotResolvable("cloud '\(target)' is not scoped to a project")
      }
      return project
    }
    if target.count == 32, target.allSatisfy(\.isHexDigit) { return target }
    do {
      let identity = try await session.identity()
      if let project = try await identity.projects.find(target) { return project.id }
    } catch let error as OpenStackError where error.isForbidden {
      throw ImageSharingError.projectNotResolvable(
        "cannot look up project '\(target)' with this cloud's rights: give the project ID or a cloud name from clouds.yaml"
      )
    }
    throw ImageSharingError.projectNotResolvable("project '\(target)' not found (nor a cloud of that name)")
  }
}
