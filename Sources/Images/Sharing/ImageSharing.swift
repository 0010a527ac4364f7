import Foundation
import OpenStack
import StewardCore

/// Project-to-project image sharing as Glance does it: the owner makes the image `shared` and adds the
/// target project as a member; the target project accepts, rejects or leaves it pending; the owner can
/// remove a member, or make the image private again for a while without losing its member list.
public struct ImageSharing: Sendable {
  public let session: Session

  public init(session: Session) {
    self.session = session
  }

  /// The image by ID, else by name among the images this project can see (refusing ambiguous names).
  public func image(_ idOrName: String) async throws -> Image {
    let images = try await session.image().images
    if let image = try await images.find(idOrName) { return image }
    let named = try await images.list(name: idOrName, memberStatus: "all").collect()
    if named.count > 1 { throw ImageSharingError.ambiguousImage(idOrName, named.map(\.id)) }
    guard let image = named.first else { throw ImageSharingError.imageNotFound(idOrName) }
    return image
  }

  /// Makes the image shared (when private) and adds `project` as a member. Sharing twice is harmless.
  public func share(_ idOrName: String, with project: String) async throws -> ImageMember {
    let images = try await session.image().images
    let image = try await image(idOrName)
    switch image.visibility {
    case "public", "community":
      throw ImageSharingError.notShareable(
        "image \(image.name ?? image.id) is \(image.visibility): every project can use it already")
    case "private":
      _ = try await images.update(image.id, [.replace("/visibility", "shared")])
    default:
      break
    }
    if let existing = try await images.member(image.id, project: project) { return existing }
    return try await images.addMember(image.id, project: project)
  }

  /// Removes one member; the image stays shared with the others. Glance manages members of shared images
  /// only, so an image made private with `unshareAll` is shared for the moment of the removal and made
  /// private again.
  public func unshare(_ idOrName: String, from project: String) async throws {
    let images = try await session.image().images
    let image = try await image(idOrName)
    let wasPrivate = image.visibility == "private"
    if wasPrivate { _ = try await images.update(image.id, [.replace("/visibility", "shared")]) }
    do {
      try await images.removeMember(image.id, project: project)
    } catch let error as OpenStackError where error.isNotFound {
      if wasPrivate { _ = try? await images.update(image.id, [.replace("/visibility", "private")]) }
      throw ImageSharingError.notAMember(image: image.id, project: project)
    }
    if wasPrivate { _ = try await images.update(image.id, [.replace("/visibility", "private")]) }
  }

  /// Makes the image private: members keep their membership but lose access until it is shared again.
  public func unshareAll(_ idOrName: String) async throws -> Image {
    let image = try await image(idOrName)
    guard image.visibility == "shared" else { return image }
    return try await session.image().images.update(image.id, [.replace("/visibility", "private")])
  }

  /// Sets this project's own member status (`accepted`, `rejected`, `pending`) for an image shared with it.
  public func respond(_ idOrName: String, status: String) async throws -> ImageMember {
    let project = try await session.currentToken().project?.id
    guard let project else {
      throw ImageSharingError.projectNotResolvable("accepting an image needs a project-scoped token")
    }
    let image = try await image(idOrName)
    do {
      return try await session.image().images.setMemberStatus(image.id, project: project, status: status)
    } catch let error as OpenStackError where error.isNotFound {
      throw ImageSharingError.notAMember(image: image.id, project: project)
    }
  }

  public func members(_ idOrName: String) async throws -> [ImageMember] {
    let image = try await image(idOrName)
    guard image.visibility == "shared" else {
      throw ImageSharingError.notShareable(
        "image \(image.name ?? image.id) is \(image.visibility): Glance shows members of shared images only"
          + (image.visibility == "private" ? " (members made inactive with --all are kept; share it again)" : ""))
    }
    return try await session.image().images.members(image.id)
  }

  public struct SharedImage: Sendable {
    public let image: Image
    /// `owner` for images this project shares out, else this project's member status.
    public let relation: String
  }

  /// Shared images this project owns or was offered, whatever its answer (pending ones included).
  public func sharedImages() async throws -> [SharedImage] {
    let myProject = try await session.currentToken().project?.id
    let images = try await session.image().images
    let shared = try await images.list(visibility: "shared", memberStatus: "all").collect()
    return try await withThrowingTaskGroup(of: (Int, SharedImage).self) { group in
      for (index, image) in shared.enumerated() {
        group.addTask {
          if image.owner == myProject { return (index, SharedImage(image: image, relation: "owner")) }
          let status = try await myProject.asyncFlatMap { try await images.member(image.id, project: $0)?.status }
          return (index, SharedImage(image: image, relation: status ?? "unknown"))
        }
      }
      var result: [(Int, SharedImage)] = []
      for try await item in group { result.append(item) }
      return result.sorted { $0.0 < $1.0 }.map(\.1)
    }
  }
}

extension Optional where Wrapped: Sendable {
  func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
    guard let value = self else { return nil }
    return try await transform(value)
  }
}
