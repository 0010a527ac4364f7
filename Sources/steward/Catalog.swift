import ArgumentParser
import OpenStack
import StewardCore

struct Catalog: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show the service catalog of a cloud.", subcommands: [List.self])

  struct List: StewardSubcommand {
    static let configuration = CommandConfiguration(abstract: "List services and their endpoints.")

    @OptionGroup var global: GlobalOptions

    func execute() async throws {
      let token = try await global.withSession { try await $0.currentToken() }
      let services = token.catalog.services.sorted { $0.type < $1.type }
      if global.format == .table {
        let rows = services.map { service in
          [service.name ?? "", service.type, Self.endpointLines(service).joined(separator: "\n")]
        }
        output(Renderer.table(headers: ["Name", "Type", "Endpoints"], rows: rows))
      } else {
        let records: [Record] = services.map { service in
          [
            "Name": .optional(service.name), "Type": .string(service.type),
            "Endpoints": .strings(Self.endpointLines(service)),
          ]
        }
        output(Renderer.list(records, format: global.format))
      }
    }

    static func endpointLines(_ service: ServiceCatalog.Service) -> [String] {
      service.endpoints.map { "\($0.regionName ?? "-") \($0.interface): \($0.url)" }.sorted()
    }
  }
}
