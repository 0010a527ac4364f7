public enum ImageSharingError: Error, Sendable, Equatable, CustomStringConvertible {
  case imageNotFound(String)
  case ambiguousImage(String, [String])
  case projectNotResolvable(String)
  case notShareable(String)
  case notAMember(image: String, project: String)

  public var description: String {
    switch self {
    case .imageNotFound(let image): return "image '\(image)' not found (or not visible to this project)"
    case .ambiguousImage(let name, let ids):
      return "several images are named '\(name)' (\(ids.joined(separator: ", "))): use the image ID"
    case .projectNotResolvable(let message): return message
    case .notShareable(let message): return message
    case .notAMember(let image, let project): return "project \(project) is not a member of image \(image)"
    }
  }
}
