/// A spec file that cannot be used, with where (`file:line`) and which field.
public struct SpecError: Error, CustomStringConvertible, Sendable, Equatable {
  public var file: String
  public var line: Int?
  public var message: String

  public init(file: String, line: Int? = nil, _ message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  public var description: String {
    "\(file)\(line.map { ":\($0)" } ?? ""): \(message)"
  }
}
