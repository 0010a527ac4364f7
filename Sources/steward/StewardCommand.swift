import ArgumentParser

struct StewardCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "steward",
    abstract: "Run an OpenStack cloud: flavors, images, onboarding, leasing, metering, compliance.",
    discussion: """
      Clouds come from clouds.yaml and secure.yaml (./, ~/.config/openstack/, /etc/openstack/, or \
      OS_CLIENT_CONFIG_FILE), or from OS_* variables, exactly as for the openstack CLI.

      Exit codes: 0 success; 1 an OpenStack call or an operation failed; 2 bad configuration or \
      input; 64 bad command line.
      """,
    version: StewardVersion.current,
    subcommands: [
      Catalog.self, TokenCommand.self, Clouds.self, FlavorsCommand.self, ImagesCommand.self, Onboard.self,
      Offboard.self, ComplianceCommand.self, ServeCommand.self, LeaseCommand.self, MeteringCommand.self,
      BillingCommand.self,
    ]
  )
}

enum StewardVersion {
  static let current = "0.1.0"
}

/// Lets global options stand before the subcommand (`steward --os-cloud prod catalog list`), as with the
/// openstack CLI: ArgumentParser reads options only after the subcommand that declares them, so those
/// found before the first subcommand word are moved to the end.
@main
enum Main {
  static func main() async {
    await StewardCommand.main(GlobalArguments.reorder(Array(CommandLine.arguments.dropFirst())))
  }
}

enum GlobalArguments {
  static let withValue: Set<String> = ["--os-cloud", "--os-region-name", "-f", "--format"]
  static let flags: Set<String> = ["--debug"]

  static func reorder(_ arguments: [String]) -> [String] {
    var leading: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
      if withValue.contains(name) {
        leading.append(argument)
        if !argument.contains("="), index + 1 < arguments.count {
          leading.append(arguments[index + 1])
          index += 1
        }
      } else if flags.contains(argument) {
        leading.append(argument)
      } else {
        break
      }
      index += 1
    }
    guard !leading.isEmpty, index < arguments.count else { return arguments }
    return Array(arguments[index...]) + leading
  }
}
