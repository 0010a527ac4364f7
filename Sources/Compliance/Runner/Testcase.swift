/// One natively implemented testcase: an id from the spec and the code that decides it. The body
/// records what it found in `log` and returns whether the testcase passed; throwing means the
/// testcase could not be decided (ABORT), as upstream's harness treats an exception.
public struct Testcase: Sendable {
  public var id: String
  public var body: @Sendable (CheckContext, TestcaseLog) async throws -> Bool

  public init(_ id: String, _ body: @escaping @Sendable (CheckContext, TestcaseLog) async throws -> Bool) {
    self.id = id
    self.body = body
  }
}

/// Why a testcase could not be decided; its message is the ABORT reason shown to the operator.
public struct Undecidable: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}
