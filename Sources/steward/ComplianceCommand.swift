import ArgumentParser

/// `steward compliance …`: the SCS certification checks, natively.
struct ComplianceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compliance",
    abstract: "SCS compliance: run the certification testcases (check) and remove what they left (cleanup).",
    subcommands: [ComplianceCheck.self, ComplianceCleanup.self])
}
