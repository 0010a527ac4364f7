import Flavors
import SCSStandards

/// scs-0100 (flavor names: syntax and semantics) and scs-0103 (standard flavors, one testcase each),
/// decided by the Flavors module's checker on the flavor list the run fetched once.
enum FlavorTestcases {
  static var all: [Testcase] {
    [
      Testcase("scs-0100-syntax-check") { context, log in
        report(FlavorChecker.syntax(FlavorChecker.nameChecks(try await context.flavors.value())), log)
      },
      Testcase("scs-0100-semantics-check") { context, log in
        report(FlavorChecker.semantics(FlavorChecker.nameChecks(try await context.flavors.value())), log)
      },
    ]
      + (StandardFlavors.mandatory + StandardFlavors.recommended).map { standard in
        Testcase(testcaseID(standard.canonicalName)) { context, log in
          let lookup = FlavorChecker.standardLookup(try await context.flavors.value())
          let problems = FlavorChecker.problems(of: standard, in: lookup, role: "scs-0103")
          for problem in problems { log.error(problem) }
          return problems.isEmpty
        }
      }
  }

  /// `SCS-2V-4-20s` → `scs-0103-flavor-2v-4-20s`, the spec's id.
  static func testcaseID(_ canonicalName: String) -> String {
    "scs-0103-flavor-" + canonicalName.dropFirst("SCS-".count).lowercased()
  }

  static func report(_ result: FlavorCheckResult, _ log: TestcaseLog) -> Bool {
    for warning in result.warnings { log.info(warning) }
    for problem in result.problems { log.error(problem) }
    return result.passed
  }
}
