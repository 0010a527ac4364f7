/// A definition file: mandatory flavors, optionally recommended ones, and the name prefix all of them
/// share (`mandatory_prefix` in the `reference` section), which also scopes which existing flavors
/// count as "extra" when asked to delete or retire those.
public struct FlavorDefinitionSet: Sendable, Equatable {
  public var mandatory: [FlavorDefinition]
  public var recommended: [FlavorDefinition]
  public var namePrefix: String?

  public init(mandatory: [FlavorDefinition], recommended: [FlavorDefinition] = [], namePrefix: String? = nil) {
    self.mandatory = mandatory
    self.recommended = recommended
    self.namePrefix = namePrefix
  }

  /// The flavors to sync, as openstack-flavor-manager picks them: all mandatory ones, plus with
  /// `recommended` those recommended ones with at most `limitMemoryGB` of RAM.
  public func selected(recommended includeRecommended: Bool, limitMemoryGB: Int = 32) -> [FlavorDefinition] {
    guard includeRecommended else { return mandatory }
    return mandatory + recommended.filter { $0.ramMiB <= limitMemoryGB * 1024 }
  }
}
