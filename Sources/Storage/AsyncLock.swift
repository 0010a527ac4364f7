/// A FIFO async mutex: SQLite's single writer within this process, so a transaction's statements (each a hop to
/// GRDB's writer queue) are never interleaved with another transaction's.
actor AsyncLock {
  private var locked = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  func lock() async {
    if !locked {
      locked = true
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  func unlock() {
    if waiters.isEmpty {
      locked = false
    } else {
      waiters.removeFirst().resume()
    }
  }

  func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
    await lock()
    defer { unlock() }
    return try await body()
  }
}
