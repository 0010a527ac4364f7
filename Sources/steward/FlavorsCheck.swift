import ArgumentParser
import Flavors
import OpenStack
import StewardCore

/// `steward flavors check`: the SCS flavor checks on a live cloud, PASS/FAIL per check, exit 1 on FAIL.
struct FlavorsCheck: StewardSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Run the SCS flavor checks (scs-0100 syntax and semantics, scs-0103 standard flavors).")

  @OptionGroup var global: GlobalOptions

  func execute() async throws {
    let flavors = try await global.withSession { session in
      try await ObservedFlavor.all(in: try await session.compute().flavors)
    }
    let results = FlavorChecker.check(flavors)
    switch global.format {
    case .table:
      let rows = results.map { result in
        [
          result.check, result.passed ? "PASS" : "FAIL",
          (result.problems + result.warnings.map { "warning: \($0)" }).joined(separator: "\n"),
        ]
      }
      output(Renderer.table(headers: ["Check", "Result", "Details"], rows: rows))
    default:
      let records: [Record] = results.map { result in
        [
          "check": .string(result.check), "result": .string(result.passed ? "PASS" : "FAIL"),
          "problems": .strings(result.problems), "warnings": .strings(result.warnings),
        ]
      }
      output(
        Renderer.list(records, columns: global.format == .value ? ["check", "result"] : nil, format: global.format))
    }
    if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
  }
}
