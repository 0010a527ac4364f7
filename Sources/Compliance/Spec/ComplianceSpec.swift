/// A certification spec (`scs-compatible-iaas.yaml`) after loading: testcases, modules, versions and the
/// timeline, with every reference resolved, so selection and reporting never look names up again.
public struct ComplianceSpec: Sendable {
  public var name: String
  public var uuid: String
  public var url: String
  /// Variables the scripts need (`os_cloud`); kept for the report's `assignment`.
  public var variables: [String]
  /// Every testcase of every script, in spec order.
  public var testcases: [SpecTestcase]
  public var modules: [SpecModule]
  /// Versions in spec order (newest first in the SCS files).
  public var versions: [SpecVersion]
  /// Timeline entries, newest first as in the spec.
  public var timeline: [TimelineEntry]

  public func testcase(_ id: String) -> SpecTestcase? { testcases.first { $0.id == id } }
  public func version(_ name: String) -> SpecVersion? { versions.first { $0.name == name } }
}

/// One testcase of the spec. `automated` is false for the ones listed under a script without
/// `executable` (manual checks: they are never run, so they stay missing, as upstream).
public struct SpecTestcase: Sendable, Equatable {
  public var id: String
  public var description: String?
  public var url: String?
  public var section: String?
  public var automated: Bool

  public init(
    id: String, description: String? = nil, url: String? = nil, section: String? = nil, automated: Bool = true
  ) {
    self.id = id
    self.description = description
    self.url = url
    self.section = section
    self.automated = automated
  }
}

public struct SpecModule: Sendable, Equatable {
  public var id: String
  public var name: String?
  public var url: String?
  /// Target name (`main`, `recommended`, `preview`) → testcase ids.
  public var targets: [String: [String]]
}

/// A version: the modules it includes and, merged from them, its targets.
public struct SpecVersion: Sendable, Equatable {
  public var name: String
  public var stabilizedAt: String?
  /// Module ids with the parameters the include passes.
  public var includes: [(module: String, parameters: [String: String])]
  /// Target → sorted testcase ids (union over the included modules).
  public var targets: [String: [String]]

  public static func == (lhs: SpecVersion, rhs: SpecVersion) -> Bool {
    lhs.name == rhs.name && lhs.stabilizedAt == rhs.stabilizedAt && lhs.targets == rhs.targets
      && lhs.includes.map(\.module) == rhs.includes.map(\.module)
      && lhs.includes.map(\.parameters) == rhs.includes.map(\.parameters)
  }
}

/// From `date` on, these versions have these validities (`effective`, `warn`, `deprecated`, `draft`).
public struct TimelineEntry: Sendable, Equatable {
  /// `YYYY-MM-DD`.
  public var date: String
  public var versions: [String: String]
}

extension ComplianceSpec {
  /// The version → validity map in force on `date` (`YYYY-MM-DD`): the latest entry not after it.
  public func validities(on date: String) -> [String: String] {
    timeline.filter { $0.date <= date }.max { $0.date < $1.date }?.versions ?? [:]
  }

  /// The versions the official runner checks on `date` when none is forced: every version the timeline
  /// entry in force names explicitly, whatever the validity (a `draft` or `deprecated` listed there too).
  public func versionsInForce(on date: String) -> [SpecVersion] {
    let validity = validities(on: date)
    return versions.filter { validity[$0.name] != nil }
  }
}
