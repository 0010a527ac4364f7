import StewardCore
import Testing

@testable import Compliance

struct JanitorPlanTests {
  @Test func onlyPrefixedResourcesInDependencyOrder() {
    typealias L = ComplianceJanitor.Leftover
    let plan = ComplianceJanitor.plan(
      [
        L(kind: .network, id: "n1", name: "scs-test-ab12-0101-net"),
        L(kind: .server, id: "s1", name: "scs-test-ab12-0101-server"),
        L(kind: .network, id: "n2", name: "production"),
        L(kind: .volume, id: "v1", name: "scs-test-ab12-0117-volume"),
        L(kind: .backup, id: "b1", name: "scs-test-ab12-0117-volume-backup"),
        L(kind: .domain, id: "d1", name: "Default"),
      ], prefix: "scs-test-")
    #expect(plan.changes.map(\.kind) == ["server", "backup", "volume", "network"])
    #expect(plan.changes.allSatisfy { $0.action == .delete })
    #expect(plan.changes.first?.target == "scs-test-ab12-0101-server (s1)")
    #expect(ComplianceJanitor.plan([L(kind: .network, id: "n2", name: "production")], prefix: "scs-test-").isEmpty)
  }
}
