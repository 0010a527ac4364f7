/// One problem in a price list file: where (file and 1-based line), which field (dotted path), what.
public struct PriceListIssue: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var field: String
  public var message: String

  public init(file: String, line: Int, field: String, message: String) {
    self.file = file
    self.line = line
    self.field = field
    self.message = message
  }

  /// `prices.yaml:12: server.vcpu_hour: 'ten' is not a decimal amount`.
  public var description: String { "\(file):\(line): \(field.isEmpty ? "" : field + ": ")\(message)" }
}
