/// `-f table|json|yaml|value`, as the openstack CLI spells it.
public enum OutputFormat: String, Sendable, CaseIterable {
  case table
  case json
  case yaml
  /// Bare values, one row per line, space separated: for shell scripts.
  case value
}
