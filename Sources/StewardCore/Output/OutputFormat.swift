/// `-f table|json|yaml|value|csv`, as the openstack CLI spells it.
public enum OutputFormat: String, Sendable, CaseIterable {
  case table
  case json
  case yaml
  /// Bare values, one row per line, space separated: for shell scripts.
  case value
  /// RFC 4180 comma-separated values with a header row, for spreadsheets and `cut`-free scripts.
  case csv
}
