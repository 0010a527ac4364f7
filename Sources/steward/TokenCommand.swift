import ArgumentParser
import Foundation
import OpenStack
import StewardCore

struct TokenCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token", abstract: "Keystone tokens.", subcommands: [Issue.self])

  struct Issue: StewardSubcommand {
    static let configuration = CommandConfiguration(abstract: "Authenticate and print the token.")

    @OptionGroup var global: GlobalOptions

    func execute() async throws {
      let token = try await global.withSession { try await $0.currentToken() }
      var record: Record = [
        "expires": .string(OpenStackDate.format(token.expiresAt)), "id": .string(token.value),
      ]
      if let project = token.project { record.append("project_id", .string(project.id)) }
      if let domain = token.domain { record.append("domain_id", .string(domain.id)) }
      if token.isSystemScoped { record.append("system", "all") }
      record.append("user_id", .string(token.user.id))
      record.append("roles", .strings(token.roles.compactMap(\.name).sorted()))
      output(Renderer.show(record, format: global.format))
    }
  }
}
