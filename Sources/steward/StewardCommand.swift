import ArgumentParser

@main
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
    subcommands: [Catalog.self, TokenCommand.self, Clouds.self]
  )
}

enum StewardVersion {
  static let current = "0.1.0"
}
