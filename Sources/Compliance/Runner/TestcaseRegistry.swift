/// The testcases Steward implements natively, by spec id.
public struct TestcaseRegistry: Sendable {
  private var byID: [String: Testcase]

  public init(_ testcases: [Testcase]) {
    byID = Dictionary(testcases.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
  }

  public subscript(id: String) -> Testcase? { byID[id] }

  public var ids: [String] { byID.keys.sorted() }

  /// A copy with some testcases replaced or added (tests use it to feed broken inputs).
  public func replacing(_ testcases: [Testcase]) -> TestcaseRegistry {
    var copy = self
    for testcase in testcases { copy.byID[testcase.id] = testcase }
    return copy
  }

  public static var standard: TestcaseRegistry {
    TestcaseRegistry(
      FlavorTestcases.all + ImageTestcases.all + ImageMetadataTestcases.all + ServiceTestcases.all
        + VolumeTypeAspects.testcases
        + EntropyTestcases.all + [
          DomainManagerTestcase.testcase, DefaultSecurityGroupRules.testcase, VolumeBackupTestcase.testcase,
        ])
  }
}
