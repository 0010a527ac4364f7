import OpenStack

/// A flavor as Nova has it, with its extra specs always filled in (inline since 2.61, fetched otherwise),
/// so planning never has to call Nova.
public struct ObservedFlavor: Sendable, Equatable {
  public var id: String
  public var name: String
  public var vcpus: Int
  public var ramMiB: Int
  public var diskGB: Int
  public var isPublic: Bool
  public var description: String?
  public var extraSpecs: [String: String]

  public init(
    id: String, name: String, vcpus: Int, ramMiB: Int, diskGB: Int, isPublic: Bool = true, description: String? = nil,
    extraSpecs: [String: String] = [:]
  ) {
    self.id = id
    self.name = name
    self.vcpus = vcpus
    self.ramMiB = ramMiB
    self.diskGB = diskGB
    self.isPublic = isPublic
    self.description = description
    self.extraSpecs = extraSpecs
  }

  public init(_ flavor: Flavor, extraSpecs: [String: String]? = nil) {
    self.init(
      id: flavor.id, name: flavor.name, vcpus: flavor.vcpus, ramMiB: flavor.ram, diskGB: flavor.disk,
      isPublic: flavor.isPublic, description: flavor.description, extraSpecs: extraSpecs ?? flavor.extraSpecs ?? [:])
  }

  /// Every flavor (public and private) with extra specs: one paged list at microversion ≥ 2.61, plus one
  /// concurrent call per flavor on older Novas.
  public static func all(in flavors: FlavorsAPI) async throws -> [ObservedFlavor] {
    let listed = try await flavors.list(visibility: .all).collect()
    return try await withThrowingTaskGroup(of: (Int, ObservedFlavor).self) { group in
      var result: [ObservedFlavor?] = Array(repeating: nil, count: listed.count)
      for (index, flavor) in listed.enumerated() {
        if flavor.extraSpecs != nil {
          result[index] = ObservedFlavor(flavor)
        } else {
          group.addTask { (index, ObservedFlavor(flavor, extraSpecs: try await flavors.extraSpecs(flavor.id))) }
        }
      }
      for try await (index, observed) in group { result[index] = observed }
      return result.compactMap { $0 }
    }
  }
}
