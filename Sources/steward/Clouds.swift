import ArgumentParser
import OpenStack
import StewardCore

struct Clouds: StewardSubcommand {
  static let configuration = CommandConfiguration(
    abstract: "List the clouds defined in clouds.yaml (secure.yaml merged), without contacting them.")

  @OptionGroup var global: GlobalOptions

  func execute() async throws {
    let loader = CloudConfigLoader()
    var records: [Record] = []
    for name in try loader.cloudNames() {
      let cloud: CloudConfig
      do {
        cloud = try loader.load(cloud: name)
      } catch {
        records.append(["Name": .string(name), "Auth URL": .string("invalid: \(error)")])
        continue
      }
      let scope =
        cloud.auth.projectName ?? cloud.auth.projectID ?? cloud.auth.domainName ?? cloud.auth.domainID
        ?? cloud.auth.systemScope.map { "system:\($0)" } ?? ""
      records.append([
        "Name": .string(name), "Auth URL": .string(cloud.auth.authURL), "Auth type": .string(cloud.authType.rawValue),
        "Scope": .string(scope), "Region": .optional(cloud.regionName), "Interface": .string(cloud.interface),
      ])
    }
    output(
      Renderer.list(
        records, columns: ["Name", "Auth URL", "Auth type", "Scope", "Region", "Interface"], format: global.format))
  }
}
