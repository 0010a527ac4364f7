import Foundation
import OpenStack

/// openstack-image-manager's `--share-*` options: share (or stop sharing) images with one project or
/// with every project of a domain, optionally accepting on the members' behalf (needs admin), each
/// pair reported on its own so one refusal does not hide the rest.
public struct BulkSharing: Sendable {
  public struct Outcome: Sendable, Equatable {
    public var image: String
    public var project: String
    /// `accepted`, `pending`, `removed`, `skipped: …`, or the error.
    public var result: String
    public var failed: Bool
  }

  let sharing: ImageSharing

  public init(session: Session) {
    sharing = ImageSharing(session: session)
  }

  /// The images carrying `tag` that this project owns, optionally filtered by name.
  public func managedImages(tag: String, filter: String?) async throws -> [Image] {
    let images = try await sharing.session.image().images
    let project = try await sharing.session.currentToken().project?.id
    let regex = try filter.map { try Regex($0) }
    return try await images.list(visibility: "all", tag: tag).collect().filter { image in
      (project == nil || image.owner == project) && (regex.map { (image.name ?? "").contains($0) } ?? true)
    }
  }

  /// The ids of every project in `domain` (a name or id).
  public func projects(inDomain domain: String) async throws -> [String] {
    let identity = try await sharing.session.identity()
    guard let found = try await identity.domains.find(domain) else {
      throw ImageSharingError.notShareable("no domain '\(domain)'")
    }
    return try await identity.projects.list(domainID: found.id).map(\.id)
  }

  public func share(_ images: [Image], with projects: [String], accept: Bool) async -> [Outcome] {
    var outcomes: [Outcome] = []
    for image in images {
      let name = image.name ?? image.id
      if image.visibility == "public" || image.visibility == "community" {
        outcomes += projects.map {
          Outcome(
            image: name, project: $0, result: "skipped: \(image.visibility), every project can use it", failed: false)
        }
        continue
      }
      for project in projects {
        do {
          var member = try await sharing.share(image.id, with: project)
          if accept && member.status != "accepted" {
            member = try await sharing.session.image().images.setMemberStatus(
              image.id, project: project, status: "accepted")
          }
          outcomes.append(Outcome(image: name, project: project, result: member.status, failed: false))
        } catch {
          outcomes.append(Outcome(image: name, project: project, result: String(describing: error), failed: true))
        }
      }
    }
    return outcomes
  }

  public func unshare(_ images: [Image], from projects: [String]) async -> [Outcome] {
    var outcomes: [Outcome] = []
    for image in images {
      for project in projects {
        do {
          try await sharing.unshare(image.id, from: project)
          outcomes.append(Outcome(image: image.name ?? image.id, project: project, result: "removed", failed: false))
        } catch ImageSharingError.notAMember(_, _) {
          outcomes.append(
            Outcome(image: image.name ?? image.id, project: project, result: "skipped: not a member", failed: false))
        } catch {
          outcomes.append(
            Outcome(image: image.name ?? image.id, project: project, result: String(describing: error), failed: true))
        }
      }
    }
    return outcomes
  }
}
