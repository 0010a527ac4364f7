import ArgumentParser
import Foundation
import Images
import StewardCore

extension ImagesCommand {
  struct Validate: StewardSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Check image definitions (openstack-image-manager format) without contacting a cloud.",
      discussion: "Every problem is named with file, line and field; unknown keys are warnings. Exit 2 on errors.")

    @Option(help: "A definition file, or a folder of .yml/.yaml files.") var images: String
    @Option(help: "Only images whose name matches this regular expression.") var filter: String?
    @Option(name: [.customShort("f"), .long], help: "Output format: table, json, yaml or value.")
    var format: OutputFormat = .table

    func execute() async throws {
      let set = ImageDefinitionLoader.load(images)
      var selected = set.images
      if let filter {
        guard let regex = try? Regex(filter) else {
          throw ValidationError("--filter '\(filter)' is not a regular expression")
        }
        selected = selected.filter { $0.name.contains(regex) }
      }
      let records: [Record] = selected.map { image in
        [
          "Name": .string(image.name), "Enabled": .bool(image.enabled), "Multi": .bool(image.multi),
          "Versions": .int(image.versions.count), "Latest": .optional(image.versions.last?.version),
          "Defined at": .string(image.location.description),
        ]
      }
      output(
        Renderer.list(
          records, columns: ["Name", "Enabled", "Multi", "Versions", "Latest", "Defined at"], format: format))
      for issue in set.issues {
        FileHandle.standardError.write(Data("\(issue)\n".utf8))
      }
      if !set.errors.isEmpty {
        FileHandle.standardError.write(
          Data("steward: error: \(set.errors.count) errors in the image definitions\n".utf8))
        throw ExitCode(2)
      }
    }
  }
}
