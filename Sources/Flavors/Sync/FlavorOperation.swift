/// One Nova call sequence behind a planned change. Operations on the same flavor run in order; those on
/// different flavors run concurrently.
public enum FlavorOperation: Sendable, Equatable {
  case create(FlavorDefinition)
  /// Delete and create again with `id`, because Nova cannot change vCPUs, RAM, disk or visibility in
  /// place; `extraSpecs` and `description` are what the new flavor gets.
  case recreate(existingID: String, definition: FlavorDefinition, id: String, extraSpecs: [String: String])
  case setDescription(flavorID: String, description: String)
  case setExtraSpecs(flavorID: String, specs: [String: String])
  case deleteExtraSpec(flavorID: String, key: String)
  case delete(flavorID: String)

  /// Operations with the same key must not overlap.
  var flavorKey: String {
    switch self {
    case .create(let definition): "name:" + definition.name
    case .recreate(let existingID, _, _, _): existingID
    case .setDescription(let id, _), .setExtraSpecs(let id, _), .deleteExtraSpec(let id, _), .delete(let id): id
    }
  }
}
