import ArgumentParser
import Foundation
import Images
import OpenStack
import SCSStandards
import StewardCore

extension ImagesCommand {
  /// `steward images check`: the scs-0102 checks on a live cloud, PASS/FAIL per check, exit 1 on FAIL.
  struct Check: StewardSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Run the SCS image metadata checks (scs-0102) on the cloud's images.",
      discussion: """
        Checks the public images by default (as the SCS compliance test does), or the images carrying --tag. \
        Same vocabularies, date forms, recency and os_purpose uniqueness rules as the official test suite.
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Check the images with this tag (e.g. managed_by_osism) instead of all public images.")
    var tag: String?
    @Option(help: "Only images whose name matches this regular expression.")
    var filter: String?

    func validate() throws {
      if let filter, (try? Regex(filter)) == nil {
        throw ValidationError("--filter '\(filter)' is not a regular expression")
      }
    }

    func execute() async throws {
      let images = try await global.withSession { session in
        let api = try await session.image().images
        if let tag { return try await ObservedImage.all(in: api, tag: tag) }
        async let visible = api.list(visibility: "public").collect()
        async let hidden = api.list(visibility: "public", hidden: true).collect()
        return try await (visible + hidden).map(ObservedImage.init)
      }
      let regex = try filter.map { try Regex($0) }
      let records = images.filter { image in regex.map { image.name.contains($0) } ?? true }.map(\.metadataRecord)
      let results = ImageMetadataRules.checkAll(records)
      switch global.format {
      case .table:
        let rows = results.map { result in
          [
            result.id, result.passed ? "PASS" : "FAIL",
            (result.errors + result.warnings.map { "warning: \($0)" }).joined(separator: "\n"),
          ]
        }
        output(Renderer.table(headers: ["Check", "Result", "Details"], rows: rows))
        output("\(records.count) images checked.\n")
      default:
        let rows: [Record] = results.map { result in
          [
            "check": .string(result.id), "result": .string(result.passed ? "PASS" : "FAIL"),
            "errors": .strings(result.errors), "warnings": .strings(result.warnings),
          ]
        }
        output(
          Renderer.list(rows, columns: global.format == .value ? ["check", "result"] : nil, format: global.format))
      }
      if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
  }
}
