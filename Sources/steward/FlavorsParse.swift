import ArgumentParser
import SCSStandards
import StewardCore

/// `steward flavors parse NAME...`: the verdict of the SCS reference checker for each name, with the
/// canonical names and extra specs. The JSON shape is a contract for scripts; invalid names are
/// reported, not failed (exit 0).
struct FlavorsParse: StewardSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "parse", abstract: "Validate SCS flavor names; print canonical and short names and scs:* extra specs.")

  @OptionGroup var global: GlobalOptions

  @Argument(help: "Flavor names, e.g. SCS-2V-4-20s.")
  var names: [String]

  func execute() async throws {
    let records = names.map { Self.record(FlavorNameCheck($0)) }
    switch global.format {
    case .json, .yaml:
      output(Renderer.list(records, format: global.format))
    case .value, .csv:
      output(Renderer.list(records, columns: ["name", "valid", "canonical"], format: global.format))
    case .table:
      let rows = records.map { record in
        ["name", "valid", "tolerated_v1", "canonical", "short", "extra_specs", "error"].map { key -> String in
          if key == "extra_specs", case .object(let specs)? = record[key] {
            return specs.fields.map { "\($0.key)=\($0.value.cellText)" }.joined(separator: "\n")
          }
          return record[key]?.cellText ?? ""
        }
      }
      output(
        Renderer.table(
          headers: ["Name", "Valid", "Tolerated v1", "Canonical", "Short", "Extra specs", "Error"], rows: rows))
    }
  }

  static func record(_ check: FlavorNameCheck) -> Record {
    let valid = check.isValid ? check.flavorName : nil
    let specs = valid.map { name in
      OutputValue.object(Record(SCSExtraSpecs.derive(from: name).map { (key: $0.key, value: .string($0.value)) }))
    }
    return [
      "name": .string(check.name), "valid": .bool(check.isValid), "tolerated_v1": .bool(check.isToleratedV1),
      "canonical": .optional(valid?.canonical), "short": .optional(valid?.short), "extra_specs": specs ?? .null,
      "description": .optional(check.flavorName.map(FlavorNameDescription.describe)),
      "error": .optional(check.error?.description),
    ]
  }
}
