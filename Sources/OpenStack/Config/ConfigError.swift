/// A cloud configuration that cannot be used, said in one line that names the file and the key.
public struct ConfigError: Error, Sendable, CustomStringConvertible, Equatable {
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
