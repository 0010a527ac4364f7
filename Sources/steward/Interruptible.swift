import ArgumentParser
import Dispatch
import Foundation

/// Runs work so that Ctrl-C (SIGINT) or SIGTERM cancels it instead of killing the process: the work's
/// clean-up (deleting test resources) still runs, then the process exits 130.
enum Interruptible {
  static func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
    let task = Task { try await work() }
    var sources: [DispatchSourceSignal] = []
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler {
        FileHandle.standardError.write(Data("steward: interrupted, cleaning up test resources…\n".utf8))
        task.cancel()
      }
      source.resume()
      sources.append(source)
    }
    defer {
      for source in sources { source.cancel() }
      signal(SIGINT, SIG_DFL)
      signal(SIGTERM, SIG_DFL)
    }
    let result = try await task.value
    if task.isCancelled { throw ExitCode(130) }
    return result
  }

}
