import ArgumentParser
import Foundation
import SCSStandards
import StewardCore

/// `steward flavors explain NAME`: the name in plain words, like the SCS web decoder.
struct FlavorsExplain: StewardSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "explain", abstract: "Describe an SCS flavor name in plain words.")

  @OptionGroup var global: GlobalOptions

  @Argument(help: "A flavor name, e.g. SCS-16T-64-3x10s_bms_hwv_i3h_GNa-64_ib.")
  var name: String

  func execute() async throws {
    let check = FlavorNameCheck(name)
    guard let parsed = check.flavorName else {
      throw ValidationError(check.error?.description ?? "not an SCS flavor name")
    }
    if let warning = check.error {
      FileHandle.standardError.write(Data("steward: warning: \(warning)\n".utf8))
    }
    let description = FlavorNameDescription.describe(parsed)
    switch global.format {
    case .table, .value:
      output(description + "\n")
    case .json, .yaml, .csv:
      output(Renderer.show(FlavorsParse.record(check), format: global.format))
    }
  }
}
