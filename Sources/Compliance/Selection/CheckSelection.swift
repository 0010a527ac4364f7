/// Which versions, targets and testcases one run covers, chosen as the official runner chooses them:
/// the versions in force on the reference date (or the one forced with `--version`), then the testcases
/// of the selected targets, narrowed by `--sections` and `--tests` (a regular expression matched at the
/// start of the id, like Python's `re.match`). Manual testcases are never run.
public struct CheckSelection: Sendable {
  public var versions: [SpecVersion]
  public var targets: [String]
  /// Automated testcases to run, sorted.
  public var testcaseIDs: [String]
  /// Testcases the selected targets list but that are manual (stay missing).
  public var manualIDs: [String]
  /// A filter was used: missing testcases are expected and not listed one by one.
  public var isPartial: Bool
  public var referenceDate: String
  public var forcedVersion: String?
  public var testsPattern: String?
  public var sections: [String]?

  public struct Options: Sendable {
    public var version: String?
    /// `YYYY-MM-DD`.
    public var date: String
    /// `main`, `recommended`, `preview`, or `all`.
    public var targets: [String]
    public var tests: String?
    public var sections: [String]?
    /// Testcases the spec lists as manual that Steward can decide anyway (`domain-manager-check` with an
    /// admin cloud for the set-up).
    public var automate: Set<String>

    public init(
      version: String? = nil, date: String, targets: [String] = ["main"], tests: String? = nil,
      sections: [String]? = nil, automate: Set<String> = []
    ) {
      self.automate = automate
      self.version = version
      self.date = date
      self.targets = targets
      self.tests = tests
      self.sections = sections
    }
  }

  public init(spec: ComplianceSpec, options: Options) throws(SelectionError) {
    guard options.date.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else {
      throw SelectionError("--date '\(options.date)' is not a date YYYY-MM-DD")
    }
    referenceDate = options.date
    forcedVersion = options.version
    testsPattern = options.tests
    sections = options.sections
    if let name = options.version {
      guard let version = spec.version(name) else {
        throw SelectionError(
          "version '\(name)' is not in the spec (it has: \(spec.versions.map(\.name).joined(separator: ", ")))")
      }
      versions = [version]
    } else {
      versions = spec.versionsInForce(on: options.date)
      if versions.isEmpty { throw SelectionError("no version of the spec is in force on \(options.date)") }
    }
    let known = Set(versions.flatMap(\.targets.keys)).union(["main", "recommended", "preview"])
    if options.targets.contains("all") {
      targets = Set(versions.flatMap(\.targets.keys)).sorted { Self.targetOrder($0) < Self.targetOrder($1) }
    } else {
      for target in options.targets where !known.contains(target) {
        throw SelectionError("unknown target '\(target)' (known: \(known.sorted().joined(separator: ", ")), all)")
      }
      targets = options.targets
    }
    var regex: Regex<AnyRegexOutput>?
    if let pattern = options.tests {
      do {
        regex = try Regex(pattern)
      } catch {
        throw SelectionError("--tests '\(pattern)' is not a regular expression: \(error)")
      }
    }
    var run: Set<String> = []
    var manual: Set<String> = []
    for version in versions {
      for target in targets {
        for id in version.targets[target] ?? [] {
          guard let testcase = spec.testcase(id) else { continue }
          if !testcase.automated && !options.automate.contains(id) {
            manual.insert(id)
            continue
          }
          if let sections = options.sections, !sections.contains(testcase.section ?? "") { continue }
          if let regex, (try? regex.prefixMatch(in: id)) == nil { continue }
          run.insert(id)
        }
      }
    }
    // Automatable checks no version includes in a target yet (scs-0302's domain manager check): run when
    // asked for, reported beside the verdicts, never part of them.
    for id in options.automate where !run.contains(id) {
      guard let testcase = spec.testcase(id) else { continue }
      if let sections = options.sections, !sections.contains(testcase.section ?? "") { continue }
      if let regex, (try? regex.prefixMatch(in: id)) == nil { continue }
      run.insert(id)
      manual.remove(id)
    }
    testcaseIDs = run.sorted()
    manualIDs = manual.sorted()
    isPartial = options.tests != nil || options.sections != nil
  }

  static func targetOrder(_ target: String) -> Int {
    ["main": 0, "recommended": 1, "preview": 2][target] ?? 3
  }
}

public struct SelectionError: Error, CustomStringConvertible, Sendable, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }
}
