import ArgumentParser

/// `steward flavors …`: SCS flavor names (pure, no cloud) and flavor sync/check against Nova.
struct FlavorsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flavors",
    abstract: "SCS flavor names (scs-0100) and flavor sync and checks (scs-0103).",
    subcommands: [FlavorsParse.self, FlavorsExplain.self, FlavorsPlan.self, FlavorsSync.self, FlavorsCheck.self])
}
