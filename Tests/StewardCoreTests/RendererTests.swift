import Foundation
import Testing
import Yams

@testable import StewardCore

@Suite struct RendererTests {
  let records: [Record] = [
    ["Name": "scs-1V-2", "vCPUs": 1, "Public": true, "Specs": .strings(["a", "b"])],
    ["Name": "scs-2V-4-20", "vCPUs": 2, "Public": false, "Specs": .list([])],
  ]

  @Test func tableLooksLikeTheOpenstackCLI() {
    let expected = """
      +-------------+-------+--------+-------+
      | Name        | vCPUs | Public | Specs |
      +-------------+-------+--------+-------+
      | scs-1V-2    | 1     | True   | a, b  |
      | scs-2V-4-20 | 2     | False  |       |
      +-------------+-------+--------+-------+

      """
    #expect(Renderer.list(records, format: .table) == expected)
  }

  @Test func multilineCellsExpandRows() {
    let text = Renderer.table(headers: ["A", "B"], rows: [["x", "1\n22"]])
    #expect(text == "+---+----+\n| A | B  |\n+---+----+\n| x | 1  |\n|   | 22 |\n+---+----+\n")
  }

  @Test func jsonKeepsOrderAndTypes() throws {
    let text = Renderer.list(records, format: .json)
    #expect(text.hasPrefix("[\n  {\n    \"Name\": \"scs-1V-2\",\n    \"vCPUs\": 1,"))
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]
    #expect(parsed?.count == 2)
    #expect(parsed?[1]["Public"] as? Bool == false)
    #expect(parsed?[0]["Specs"] as? [String] == ["a", "b"])
  }

  @Test func jsonEscapes() {
    #expect(Renderer.json(.string("a\"b\\c\n\u{01}")) == #""a\"b\\c\n\u0001""#)
  }

  @Test func yamlStringsThatLookLikeOtherTypesStayStrings() throws {
    let record: Record = ["version": "1.10", "enabled": "true", "count": 3, "none": nil, "empty": ""]
    let text = Renderer.show(record, format: .yaml)
    let parsed = try Yams.load(yaml: text) as? [String: Any]
    #expect(parsed?["version"] as? String == "1.10")
    #expect(parsed?["enabled"] as? String == "true")
    #expect(parsed?["count"] as? Int == 3)
    #expect(parsed?["empty"] as? String == "")
    #expect(text.hasPrefix("version:"))
  }

  @Test func showIsAFieldValueTable() {
    let text = Renderer.show(["id": "abc", "expires": "2026"], format: .table)
    #expect(text.contains("| Field   | Value |"))
    #expect(text.contains("| id      | abc   |"))
  }

  @Test func valueFormatIsScriptable() {
    #expect(Renderer.list(records, columns: ["Name", "vCPUs"], format: .value) == "scs-1V-2 1\nscs-2V-4-20 2\n")
  }

  @Test func csvQuotesOnlyWhatNeedsQuoting() {
    let rows: [Record] = [["name": "plain", "note": "a, \"b\"\nc"], ["name": "x", "note": .null]]
    #expect(
      Renderer.list(rows, format: .csv) == "name,note\r\nplain,\"a, \"\"b\"\"\nc\"\r\nx,\r\n")
    #expect(Renderer.list(records, columns: ["Name", "Specs"], format: .csv).contains("scs-1V-2,\"a, b\"\r\n"))
  }
}

@Suite struct PlanTests {
  let plan = Plan([
    Change(.create, kind: "flavor", target: "SCS-1V-4", reason: "missing", details: ["vcpus: 1", "ram: 4096"]),
    Change(
      .update, kind: "extra_spec", target: "SCS-2V-8/scs:cpu-type", reason: "differs",
      details: ["shared-core -> crowded-core"]),
    Change(.keep, kind: "flavor", target: "SCS-4V-16", reason: "matches"),
  ])

  @Test func summaryCountsEveryAction() {
    #expect(plan.summary == "1 to create, 1 to update, 0 to delete, 0 to retire, 1 unchanged")
    #expect(!plan.isEmpty)
    #expect(Plan([Change(.keep, kind: "flavor", target: "x", reason: "matches")]).isEmpty)
  }

  @Test func tableShowsOnlyActionableUnlessAsked() {
    let text = plan.render(format: .table)
    #expect(text.contains("SCS-1V-4"))
    #expect(!text.contains("SCS-4V-16"))
    #expect(text.contains("| create | flavor"))
    #expect(text.contains("ram: 4096"))
    #expect(plan.render(format: .table, includeUnchanged: true).contains("SCS-4V-16"))
    #expect(
      Plan().render(format: .table) == "No changes. 0 to create, 0 to update, 0 to delete, 0 to retire, 0 unchanged.\n")
  }

  @Test func jsonIsParseable() throws {
    let parsed = try JSONSerialization.jsonObject(with: Data(plan.render(format: .json).utf8)) as? [String: Any]
    let changes = parsed?["changes"] as? [[String: Any]]
    #expect(changes?.count == 2)
    #expect(changes?.first?["action"] as? String == "create")
    #expect(changes?.first?["details"] as? [String] == ["vcpus: 1", "ram: 4096"])
  }

  struct Recording: Reconciler {
    let planned: Plan
    func plan() async throws -> Plan { planned }
    func apply(_ plan: Plan) async throws -> ApplyReport {
      ApplyReport(
        plan.actionable.map { ApplyReport.Outcome(change: $0, error: $0.kind == "extra_spec" ? "boom" : nil) })
    }
  }

  @Test func dryRunStopsAfterThePlan() async throws {
    let (_, dry) = try await Recording(planned: plan).run(dryRun: true)
    #expect(dry == nil)
    let (_, report) = try await Recording(planned: plan).run(dryRun: false)
    #expect(report?.summary == "1 applied, 1 failed")
    #expect(report?.succeeded == false)
    #expect(report?.render(format: .table).contains("FAILED") == true)
  }

  @Test func inOrderStopsAtTheFirstFailureAndSkipsUnapprovedSteps() async {
    let steps: [(step: Int, change: Change)] = (1...4).map {
      ($0, Change(.create, kind: "thing", target: "t\($0)", reason: "missing"))
    }
    let approved = Plan(steps.filter { $0.step != 2 }.map(\.change))
    struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
    var performed: [Int] = []
    let report = await ApplyReport.inOrder(steps, approved: approved) { step in
      performed.append(step)
      if step == 3 { throw Boom() }
    }
    #expect(performed == [1, 3])
    #expect(report.outcomes.map(\.change.target) == ["t1", "t3", "t4"])
    #expect(report.outcomes.map(\.error) == [nil, "boom", "not attempted: an earlier step failed"])
  }

  @Test func inOrderReportsApprovedChangesTheFreshPlanNoLongerHas() async {
    let approved = Plan([
      Change(.delete, kind: "user", target: "alice", reason: "offboarding"),
      Change(.delete, kind: "domain", target: "acme", reason: "offboarding"),
      Change(.delete, kind: "project", target: "gone", reason: "offboarding"),
    ])
    let steps: [(step: String, change: Change)] = [
      ("user", Change(.delete, kind: "user", target: "alice", reason: "offboarding")),
      ("domain", Change(.keep, kind: "domain", target: "acme", reason: "kept: it still holds 1 other user (bob)")),
    ]
    var performed: [String] = []
    let report = await ApplyReport.inOrder(steps, approved: approved) { performed.append($0) }
    #expect(performed == ["user"])
    #expect(!report.succeeded)
    #expect(
      report.outcomes.map(\.error) == [
        "not applied: the cloud changed since the plan; it now plans keep (kept: it still holds 1 other user (bob))",
        "not applied: the cloud changed since the plan; plan again", nil,
      ])
  }
}
