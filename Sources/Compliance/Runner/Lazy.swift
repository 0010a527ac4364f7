/// A value computed once, on first use, and shared by every testcase that needs it (the flavor list,
/// the image list, the token). A failure is remembered too, so every dependent testcase aborts with the
/// same reason instead of asking the cloud again — the official runner's memoizing container.
public actor Lazy<Value: Sendable> {
  private let make: @Sendable () async throws -> Value
  private var task: Task<Value, Error>?

  public init(_ make: @escaping @Sendable () async throws -> Value) {
    self.make = make
  }

  public func value() async throws -> Value {
    if let task { return try await task.value }
    let made = Task { try await make() }
    task = made
    return try await made.value
  }
}
