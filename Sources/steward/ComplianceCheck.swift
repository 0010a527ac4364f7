import ArgumentParser
import Compliance
import Foundation
import OpenStack
import StewardCore
import Synchronization

/// `steward compliance check`: selects versions, targets and testcases from the spec as the official
/// `scs-compliance-check.py` does, runs them concurrently as an ordinary member, prints the verdicts and
/// exits with the official code (`min(127, critical + errors + failures)`).
struct ComplianceCheck: StewardSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Run the SCS compliance testcases against a cloud (as a project member).",
    discussion: """
      Exit code as the official runner: min(127, critical + errors + failed testcases); with \
      --critical-only, non-zero only when the run could not be completed. Configuration or selection \
      errors exit 2.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(name: .customLong("admin-cloud"), help: "Admin cloud for set-ups a member cannot make (scs-0302 domains).")
  var adminCloud: String?

  @Option(help: "Spec file (default: the built-in scs-compatible-iaas.yaml).")
  var spec: String?

  @Option(name: .customLong("version"), help: "Check this version of the spec instead of those in force on the date.")
  var specVersion: String?

  @Option(help: "Reference date YYYY-MM-DD (default: today, UTC).")
  var date: String?

  @Option(help: "Targets to check: main, recommended, preview or all (comma-separated or repeated).")
  var target: [String] = []

  @Option(help: "Only testcases whose id matches this regular expression (at its start).")
  var tests: String?

  @Option(help: "Only testcases of these sections (comma-separated).")
  var sections: String?

  @Flag(name: .customLong("critical-only"), help: "Only critical errors count for the exit code.")
  var criticalOnly = false

  @Option(name: [.customShort("o"), .customLong("output")], help: "Write the official YAML report to this file.")
  var outputFile: String?

  @Option(help: "Subject (cloud name) for the report (default: the cloud name).")
  var subject: String?

  @Option(help: "Longest wait for one resource (volume, backup, server), in seconds.")
  var timeout: Int = 300

  @Flag(name: .customLong("progress"), help: "Report each testcase on stderr as it finishes.")
  var showProgress = false

  @Option(help: "How many testcases run at the same time.")
  var concurrency: Int = 16

  func validate() throws {
    guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
    guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
  }

  func execute() async throws {
    let loaded: ComplianceSpec
    do {
      loaded = try spec.map { try SpecLoader().load(file: $0) } ?? BuiltinSpec.load()
    } catch let error as SpecError {
      throw ValidationError(error.description)
    }
    let targets = target.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    let options = CheckSelection.Options(
      version: specVersion, date: date ?? Self.today(), targets: targets.isEmpty ? ["main"] : targets, tests: tests,
      sections: sections.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
      automate: adminCloud == nil ? [] : ["domain-manager-check"])
    let selection: CheckSelection
    do {
      selection = try CheckSelection(spec: loaded, options: options)
    } catch {
      throw ValidationError(error.description)
    }
    let config = try CloudConfigLoader().load(cloud: global.cloud, regionName: global.regionName)
    let adminConfig = try adminCloud.map { try CloudConfigLoader().load(cloud: $0, regionName: global.regionName) }
    let runner = ComplianceRunner(maxConcurrent: concurrency)
    let waiter = Waiter(timeout: .seconds(timeout), interval: .seconds(2))
    let logger = global.sessionLogger()
    let outcome = try await Interruptible.run {
      try await Session.with(config, logger: logger) { session in
        let admin = adminConfig.map { Session(config: $0, logger: logger) }
        let context = CheckContext(
          session: session, adminSession: admin, prefix: CheckContext.runPrefix(), waiter: waiter)
        let total = selection.testcaseIDs.count
        let done = Mutex(0)
        let outcome = await runner.run(selection.testcaseIDs, context: context) { result in
          guard showProgress else { return }
          let count = done.withLock { count in
            count += 1
            return count
          }
          let seconds =
            Double(result.duration.components.seconds)
            + Double(result.duration.components.attoseconds) / 1e18
          FileHandle.standardError.write(
            Data(
              "[\(count)/\(total)] \(result.id): \(result.verdict.rawValue) (\(String(format: "%.1f", seconds)) s)\n"
                .utf8))
        }
        await admin?.shutdown()
        return outcome
      }
    }
    let report = ComplianceReport(
      spec: loaded, selection: selection, outcome: outcome, subject: subject ?? config.name,
      argv: ["steward"] + CommandLine.arguments.dropFirst(), assignment: ["os_cloud": config.name],
      criticalOnly: criticalOnly)
    if let outputFile {
      do {
        try report.officialYAML().write(toFile: outputFile, atomically: true, encoding: .utf8)
      } catch {
        throw ValidationError("cannot write the report to '\(outputFile)': \(error.localizedDescription)")
      }
    }
    output(report.render(global.format))
    if report.exitCode != 0 { throw ExitCode(report.exitCode) }
  }

  static func today() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: Date())
  }
}
