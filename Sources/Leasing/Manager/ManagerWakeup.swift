/// Lets the API wake the manager early (a lease that starts now should not wait a whole interval).
public actor ManagerWakeup {
  private var pending = false
  private var waiter: CheckedContinuation<Void, Never>?

  public init() {}

  public nonisolated func nudge() { Task { await self.signal() } }

  func signal() {
    if let waiter {
      self.waiter = nil
      waiter.resume()
    } else {
      pending = true
    }
  }

  /// Returns after `timeout`, on a nudge, or when the task is cancelled.
  func wait(timeout: Duration) async {
    if pending {
      pending = false
      return
    }
    let timer = Task { [weak self] in
      try? await Task.sleep(for: timeout)
      await self?.signal()
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { waiter = $0 }
    } onCancel: {
      Task { await self.signal() }
    }
    timer.cancel()
  }
}
