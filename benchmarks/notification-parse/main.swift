// Driver for benchmarks/notification-parse.sh: parses every fixture body repeatedly and reports
// notifications per second on one thread (the consumer parses on one task).
import Foundation

@main struct NotificationParseBenchmark {
  static func main() throws {
    let dir = CommandLine.arguments[1]
    let rounds = Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 5000
    let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
    let bodies = try files.map { Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0))) }
    for body in bodies { _ = try OpenStackNotification.parse(body) }  // warm-up, and all must parse
    var count = 0
    let clock = ContinuousClock()
    let elapsed = try clock.measure {
      for _ in 0..<rounds {
        for body in bodies {
          _ = try OpenStackNotification.parse(body)
          count += 1
        }
      }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let mean = bodies.map(\.count).reduce(0, +) / bodies.count
    print(
      "\(count) notifications (\(bodies.count) fixtures, mean \(mean) bytes) in \(String(format: "%.2f", seconds)) s: \(Int(Double(count) / seconds)) per second"
    )
  }
}
