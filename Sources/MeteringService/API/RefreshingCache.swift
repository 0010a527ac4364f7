import Foundation

/// A value that is expensive to compute (every project rated, the whole view read), kept for `ttl` and then
/// served stale while one background refresh runs: only the very first caller waits for a computation, so a
/// page that shows it answers at the speed of rendering, and the figures are at most `ttl` plus one
/// computation old. Concurrent callers share one computation; a failed refresh keeps the old value.
actor RefreshingCache<Value: Sendable> {
  let ttl: TimeInterval
  private var cached: (value: Value, at: Date)?
  private var pending: Task<Value, Error>?

  init(ttl: TimeInterval) { self.ttl = ttl }

  func value(now: Date, compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
    if let cached, now >= cached.at, now.timeIntervalSince(cached.at) < ttl { return cached.value }
    if let cached, ttl > 0 {
      // Stale: answer with it, refresh behind.
      if pending == nil { pending = refresh(now: now, compute) }
      return cached.value
    }
    if let pending { return try await pending.value }
    let task = refresh(now: now, compute)
    pending = task
    return try await task.value
  }

  private func refresh(now: Date, _ compute: @escaping @Sendable () async throws -> Value) -> Task<Value, Error> {
    Task {
      defer { self.finished() }
      let value = try await compute()
      self.store(value, at: now)
      return value
    }
  }

  private func store(_ value: Value, at time: Date) { cached = (value, time) }
  private func finished() { pending = nil }

  /// Forgets the value: the next caller waits for a fresh one (after a change a user made here and expects to see).
  func clear() { cached = nil }

  /// Keeps the value but makes it stale: the next caller gets it at once and a refresh runs behind. For changes
  /// that arrive all the time (the consumer's batches): clearing on each would make every page wait for a full
  /// computation on a busy cloud.
  func markStale() {
    if let cached { self.cached = (cached.value, .distantPast) }
  }
}
