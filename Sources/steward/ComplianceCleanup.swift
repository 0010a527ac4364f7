import ArgumentParser
import Compliance
import OpenStack
import StewardCore

/// `steward compliance cleanup`: plans the removal of everything compliance checks left behind (names
/// starting with the test prefix), prints the plan, and applies it unless `--dry-run`.
struct ComplianceCleanup: StewardSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "cleanup",
    abstract: "Remove leftovers of compliance checks (resources named with the test prefix).")

  @OptionGroup var global: GlobalOptions

  @Option(name: .customLong("admin-cloud"), help: "Admin cloud: also remove the scs-0302 test domains.")
  var adminCloud: String?

  @Option(help: "Name prefix of test resources.")
  var prefix: String = CheckContext.resourcePrefix

  @Flag(name: .customLong("dry-run"), help: "Only print the plan.")
  var dryRun = false

  func validate() throws {
    guard prefix.count >= 4 else { throw ValidationError("--prefix must have at least 4 characters") }
  }

  func execute() async throws {
    let adminConfig = try adminCloud.map { try CloudConfigLoader().load(cloud: $0, regionName: global.regionName) }
    let (plan, report) = try await global.withSession { session in
      let admin = adminConfig.map { Session(config: $0, logger: global.sessionLogger()) }
      do {
        let result = try await ComplianceJanitor(session: session, adminSession: admin, prefix: prefix)
          .run(dryRun: dryRun)
        await admin?.shutdown()
        return result
      } catch {
        await admin?.shutdown()
        throw error
      }
    }
    output(plan.render(format: global.format))
    if let report {
      output(report.render(format: global.format))
      if !report.succeeded { throw ExitCode(1) }
    }
  }
}
