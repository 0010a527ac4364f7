import Billing
import Foundation
import Testing

@Suite struct PriceListLoaderTests {
  @Test func loadsTheExample() throws {
    let schedule = try Fixture.schedule()
    let list = try #require(schedule.lists.first)
    #expect(list.name == "standard-2026" && list.currency == "EUR")
    #expect(list.effectiveFrom == t("2026-01-01T00:00:00Z"))
    #expect(list.rounding == PriceList.Rounding(scale: 2, mode: .halfEven))
    #expect(list.flavorHour["SCS-2V-4"]?.description == "0.0400")
    #expect(list.vcpuHour?.description == "0.0100" && list.ramGiBHour?.description == "0.0050")
    #expect(list.volumeTypeGiBMonth["ssd"]?.description == "0.20")
    #expect(list.serverStates.charge("stopped") == .disk && list.serverStates.charge("active") == .full)
    #expect(list.serverStates.charge("error") == .none && list.volumeStates.charge("error") == .none)
    #expect(list.stackFee?.description == "5.00" && list.projectFee?.description == "10.00")
    #expect(list.label == "standard-2026@2026-01-01")
  }

  @Test func readsPlainNumbersAsDecimalText() throws {
    let lists = try PriceListLoader.parse(
      "name: x\ncurrency: CHF\neffective_from: 2026-02-01\nfloating_ip: {hour: 0.10}\n", file: "x.yaml")
    // Not 0.1000000000000000055…: the YAML text, digit by digit.
    #expect(lists[0].floatingIPHour?.description == "0.10")
  }

  @Test func reportsEveryProblemWithFileLineAndField() throws {
    let file = Fixture.path("prices-bad.yaml")
    do {
      _ = try PriceListLoader.schedule(files: [file])
      Issue.record("a bad price list loaded")
    } catch let BillingError.invalidPriceList(issues) {
      let found = Set(issues.map { "\($0.line) \($0.field)" })
      let expected: Set<String> = [
        "2 currency", "3 effective_from", "6 rounding.mode", "9 server.flavors.SCS-2V-4", "10 server.vcpu_hour",
        "13 server.states.stopped", "16 volume.per_type",
      ]
      #expect(found == expected, "\(issues.map(\.description))")
      #expect(issues.allSatisfy { $0.file == file })
      let text = BillingError.invalidPriceList(issues).description
      #expect(text.contains("prices-bad.yaml:2: currency: 'euro' is not an ISO 4217 code"))
      #expect(text.contains("prices-bad.yaml:9: server.flavors.SCS-2V-4: '0,04' is not a decimal amount"))
      #expect(text.contains("'-1' must not be negative"))
    } catch {
      Issue.record("\(error)")
    }
  }

  @Test func requiresTheEssentials() {
    #expect(throws: BillingError.self) { try PriceListLoader.parse("server: {}\n", file: "e.yaml") }
    do {
      _ = try PriceListLoader.parse("name: a\n", file: "e.yaml")
    } catch let BillingError.invalidPriceList(issues) {
      #expect(Set(issues.map(\.field)) == ["currency", "effective_from"])
    } catch { Issue.record("\(error)") }
  }

  @Test func yamlSyntaxErrorsHaveALine() {
    do {
      _ = try PriceListLoader.parse("name: a\ncurrency: [EUR\n", file: "s.yaml")
    } catch let BillingError.invalidPriceList(issues) {
      #expect(issues.count == 1 && issues[0].line >= 2, "\(issues)")
    } catch { Issue.record("\(error)") }
  }

  @Test func scheduleNeedsOneCurrencyAndDistinctDates() throws {
    let eur = try PriceListLoader.parse("name: a\ncurrency: EUR\neffective_from: 2026-01-01\n", file: "a.yaml")
    let usd = try PriceListLoader.parse("name: b\ncurrency: USD\neffective_from: 2026-02-01\n", file: "b.yaml")
    let same = try PriceListLoader.parse("name: c\ncurrency: EUR\neffective_from: 2026-01-01\n", file: "c.yaml")
    #expect(throws: BillingError.self) { try PriceSchedule(eur + usd) }
    #expect(throws: BillingError.self) { try PriceSchedule(eur + same) }
    let schedule = try Fixture.schedule("prices-change.yaml")
    #expect(schedule.lists.map(\.name) == ["autumn", "winter"])
    let pieces = schedule.segments(from: t("2026-11-15T00:00:00Z"), to: t("2026-11-17T00:00:00Z"))
    #expect(pieces.map(\.list.name) == ["autumn", "winter"])
    #expect(pieces[0].to == t("2026-11-16T00:00:00Z") && pieces[1].from == t("2026-11-16T00:00:00Z"))
  }
}
