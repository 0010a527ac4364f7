/// Runs clean-up work in a fresh task, so it still reaches the cloud when the testcase's own task was
/// cancelled (Ctrl-C, a deadline): a cancelled task's HTTP calls would fail at once.
public enum Cleanup {
  @discardableResult
  public static func detached(_ work: @escaping @Sendable () async throws -> Void) async -> Error? {
    await Task {
      do {
        try await work()
        return nil
      } catch {
        return error
      }
    }.value
  }
}
