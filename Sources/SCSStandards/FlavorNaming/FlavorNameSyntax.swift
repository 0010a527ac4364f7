/// The two spellings of the same name. v1 used `:` inside parts and `-` before extensions; v2 (and v3,
/// which kept the syntax) use `-` and `_`, because `:` is awkward in file names and shells. The mapping is
/// one to one, so a name converts losslessly between them.
public enum FlavorNameSyntax: String, Sendable, Hashable, CaseIterable {
  case v1
  /// Also the syntax of v3.
  case v2

  public static let prefix = "SCS-"

  /// Separates CPU from RAM, RAM from disk, and the numbers of a GPU.
  var partSeparator: Character { self == .v1 ? ":" : "-" }
  /// Starts each extension.
  var extensionSeparator: Character { self == .v1 ? "-" : "_" }

  /// v2 → v1 by separators alone (`SCS-2C-4-10n_z3` → `SCS-2C:4:10n-z3`), as the reference does.
  public static func v1(fromV2 name: String) -> String {
    let swapped = String(name.map { $0 == "-" ? ":" : $0 == "_" ? "-" : $0 })
    return swapped.hasPrefix("SCS:") ? "SCS-" + swapped.dropFirst(4) : swapped
  }

  /// v1 → v2 by separators alone (`SCS-2C:4:10n-z3` → `SCS-2C-4-10n_z3`).
  public static func v2(fromV1 name: String) -> String {
    let swapped = String(name.map { $0 == "-" ? "_" : $0 == ":" ? "-" : $0 })
    return swapped.hasPrefix("SCS_") ? "SCS-" + swapped.dropFirst(4) : swapped
  }
}
