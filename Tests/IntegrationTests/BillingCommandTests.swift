import Foundation
import Metering
import Storage
import Testing

/// `steward billing …` as an operator runs it: the built executable on a SQLite ledger written the way the
/// consumer writes it, with a price list file. Checks exit codes, amounts and the documents the commands write
/// (the rating itself is proven to the cent in BillingTests and BillingInvoiceTests). No cloud is needed; the
/// November 2026 ledger is in the past whatever day the test runs, so every figure is fixed.
@Suite(
  "steward billing commands on a SQLite ledger",
  .enabled(if: StewardProcess.binary != nil || ProcessInfo.processInfo.environment["CI"] == "true"))
struct BillingCommandTests {
  static let prices = """
    name: standard-2026
    currency: EUR
    effective_from: 2026-01-01
    rounding: {scale: 2, mode: half-even}
    hours_per_month: 730
    server:
      flavors: {SCS-2V-4: "0.0400"}
      disk_gib_hour: "0.0001"
      states: {stopped: disk, building: none, default: full}
    volume:
      gib_month: "0.10"
    fees: {stack: "5.00", project: "10.00"}
    """

  /// Line 6 gives a price that is not a number, line 10 an unknown state charge.
  static let badPrices = """
    name: broken
    currency: EUR
    effective_from: 2026-01-01
    server:
      flavors:
        SCS-2V-4: "four cents"
      states:
        stopped: disk
        default: full
        shelved: half
    """

  /// In November 2026: the stack `shop` (5.00) holding `web-1`, active 54.5 h (x 0.04 = 2.18), then stopped
  /// 120 h (20 GiB root disk x 0.0001 = 0.24), then deleted; project fee 10.00. Total 17.42.
  static func seed(_ path: String) async throws {
    let database = try await DatabaseOpener.open(path)
    let metering = try await SQLMeteringStore.open(database)
    func at(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }
    func server(_ state: String) -> ResourceSnapshot {
      ResourceSnapshot(
        projectID: "p1", name: "web-1", state: state,
        spec: ResourceSpec(flavor: "SCS-2V-4", vcpus: 2, memoryMB: 4096, diskGB: 20), stackID: "st1")
    }
    let observations = [
      Observation(
        key: ResourceKey(.project, "p1"), time: at("2026-11-01T08:00:00Z"), sourceID: "m-1",
        snapshot: ResourceSnapshot(projectID: "p1", name: "team-one", state: "enabled")),
      Observation(
        key: ResourceKey(.stack, "st1"), time: at("2026-11-03T09:59:00Z"), sourceID: "m0",
        snapshot: ResourceSnapshot(projectID: "p1", name: "shop", state: "CREATE_COMPLETE")),
      Observation(
        key: ResourceKey(.server, "s1"), time: at("2026-11-03T10:00:00Z"), sourceID: "m1", snapshot: server("active")),
      Observation(
        key: ResourceKey(.server, "s1"), time: at("2026-11-05T16:30:00Z"), sourceID: "m2", snapshot: server("stopped")),
      Observation(key: ResourceKey(.server, "s1"), time: at("2026-11-10T16:30:00Z"), sourceID: "m3", snapshot: nil),
      Observation(key: ResourceKey(.stack, "st1"), time: at("2026-11-10T17:00:00Z"), sourceID: "m4", snapshot: nil),
    ]
    try await metering.write { writer in
      for o in observations { try await writer.apply(o) }
    }
    await database.close()
  }

  func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
  }

  @Test func pricesInvoicesCreditsBalanceAndClosingThroughTheCLI() async throws {
    let dir = NSTemporaryDirectory() + "steward-billing-cli-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let database = dir + "/metering.sqlite"
    let pricesPath = dir + "/prices.yaml"
    let badPath = dir + "/bad.yaml"
    try Self.prices.write(toFile: pricesPath, atomically: true, encoding: .utf8)
    try Self.badPrices.write(toFile: badPath, atomically: true, encoding: .utf8)
    try await Self.seed(database)
    let environment = ["STEWARD_DATABASE": database, "STEWARD_PRICES": pricesPath]
    func steward(_ arguments: String...) async throws -> (Int32?, String) {
      let (exit, output) = try await StewardProcess.run(Array(arguments), environment: environment)
      return (exit?.status, output)
    }

    // A bad price list: exit 2, every problem with file:line and field; a good one validates.
    var (status, output) = try await steward("billing", "prices", "validate", badPath)
    #expect(status == 2, "\(output)")
    #expect(output.contains("bad.yaml:6"), "\(output)")
    #expect(output.contains("bad.yaml:10"), "\(output)")
    (status, output) = try await steward("billing", "prices", "validate", pricesPath, "-f", "json")
    #expect(status == 0, "\(output)")
    #expect(output.contains("standard-2026"))
    (status, output) = try await steward("billing", "invoice", "--project", "p1", "--prices", badPath)
    #expect(status == 2, "an invoice is never rated with a broken price list: \(output)")

    // The November draft by project name, as JSON, CSV and an HTML document.
    let html = dir + "/invoice.html"
    (status, output) = try await steward(
      "billing", "invoice", "--project", "team-one", "--period", "2026-11", "-f", "json", "--html", html,
      "--issuer", "Example Cloud GmbH")
    #expect(status == 0, "\(output)")
    let draft = try #require(try json(output) as? [String: Any], "\(output)")
    #expect(draft["status"] as? String == "draft")
    #expect(draft["total"] as? String == "17.42", "\(output)")
    let lines = try #require(draft["lines"] as? [[String: Any]])
    #expect(
      Set(lines.compactMap { $0["amount"] as? String }) == ["2.18", "0.24", "5.00", "10.00"], "\(lines)")
    let document = try String(contentsOfFile: html, encoding: .utf8)
    #expect(document.contains("17.42") && document.contains("Example Cloud GmbH") && document.contains("shop"))
    (status, output) = try await steward("billing", "invoice", "--project", "p1", "--period", "2026-11", "-f", "csv")
    #expect(status == 0, "\(output)")
    // RFC 4180 rows (CRLF): the header, four lines, the stack's subtotal and the total.
    let rows = output.split(whereSeparator: \.isNewline).map(String.init)
    #expect(rows.count == 7, "\(output)")
    #expect(rows.contains { $0.hasPrefix("server/s1,web-1,shop,SCS-2V-4 (active),54.5,hour,0.0400,2.18,") })
    #expect(rows.contains { $0.hasPrefix("stack-total/st1,shop,shop,stack subtotal,,,,7.42") })
    #expect(rows.last?.hasPrefix("total,team-one,,draft invoice p1/2026-11,,EUR,,17.42") == true, "\(output)")

    // An unknown project is refused instead of invoicing a lone project fee.
    (status, output) = try await steward("billing", "invoice", "--project", "nobody", "--period", "2026-11")
    #expect(status == 2 && output.contains("no project 'nobody'"), "\(output)")

    // Credits and balance: 50.00 - the November draft (nothing after November: no usage, no account).
    (status, output) = try await steward(
      "billing", "credits", "add", "--project", "p1", "--amount", "50.00", "--currency", "EUR", "--reason", "prepaid")
    #expect(status == 0, "\(output)")
    (status, output) = try await steward(
      "billing", "credits", "add", "--project", "p1", "--amount", "fifty", "--currency", "EUR")
    #expect(status == 2 && output.contains("--amount 'fifty'"), "\(output)")
    (status, output) = try await steward("billing", "credits", "list", "--project", "p1", "-f", "json")
    #expect(status == 0 && output.contains("50.00") && output.contains("prepaid"), "\(output)")
    (status, output) = try await steward("billing", "balance", "--project", "p1", "-f", "json")
    #expect(status == 0, "\(output)")
    let balance = try #require(try json(output) as? [String: Any], "\(output)")
    #expect(balance["Drafts"] as? String == "17.42 EUR", "\(balance)")
    #expect(balance["Balance"] as? String == "32.58 EUR", "\(balance)")

    // Closing November: the dry run writes nothing, the close finalizes once, a second close keeps it.
    (status, output) = try await steward("billing", "close-period", "--period", "2026-11", "--dry-run")
    #expect(status == 0 && output.contains("p1"), "\(output)")
    (status, output) = try await steward("billing", "invoice", "--project", "p1", "--period", "2026-11", "-f", "json")
    #expect((try json(output) as? [String: Any])?["status"] as? String == "draft", "\(output)")
    (status, output) = try await steward("billing", "close-period", "--period", "2026-11")
    #expect(status == 0, "\(output)")
    (status, output) = try await steward("billing", "close-period", "--period", "2026-11")
    #expect(status == 0, "\(output)")
    (status, output) = try await steward("billing", "invoice", "--project", "p1", "--period", "2026-11", "-f", "json")
    let final = try #require(try json(output) as? [String: Any], "\(output)")
    #expect(final["status"] as? String == "final" && final["total"] as? String == "17.42", "\(output)")
    (status, output) = try await steward("billing", "balance", "--project", "p1", "-f", "json")
    let after = try #require(try json(output) as? [String: Any], "\(output)")
    #expect(
      after["Finalized Invoices"] as? String == "17.42 EUR" && after["Balance"] as? String == "32.58 EUR", "\(after)")

    // A budget with a threshold of 0 % is refused; a good one is listed.
    (status, output) = try await steward(
      "billing", "budget", "set", "--project", "p1", "--amount", "20", "--currency", "EUR", "--threshold", "0")
    #expect(status != 0, "\(output)")
    (status, output) = try await steward(
      "billing", "budget", "set", "--project", "p1", "--amount", "20", "--currency", "EUR", "--threshold", "80")
    #expect(status == 0, "\(output)")
    (status, output) = try await steward("billing", "budget", "list", "-f", "json")
    #expect(status == 0 && output.contains("p1") && output.contains("20"), "\(output)")
  }
}
