import Billing
import Foundation
import Testing

@Suite struct DecimalNumberTests {
  @Test func parsesAndPrintsExactly() {
    #expect(DecimalNumber("0.0125")?.description == "0.0125")
    #expect(DecimalNumber("-3.50")?.description == "-3.50")
    #expect(DecimalNumber("+7")?.description == "7")
    #expect(DecimalNumber(".5")?.description == "0.5")
    #expect(DecimalNumber("1_000.25")?.description == "1000.25")
    #expect(DecimalNumber("-0.05")?.description == "-0.05")
    for bad in ["", "-", ".", "1.2.3", "1e3", "0,04", "abc", "1.0000000000000000001", " 1 2"] {
      #expect(DecimalNumber(bad) == nil, "\(bad)")
    }
  }

  @Test func comparesByValue() {
    #expect(DecimalNumber("1.5")! == DecimalNumber("1.500")!)
    #expect(Set([DecimalNumber("1.5")!, DecimalNumber("1.50")!]).count == 1)
    #expect(DecimalNumber("0.1")! + DecimalNumber("0.2")! == DecimalNumber("0.3")!)
    #expect(DecimalNumber("-0.01")! < DecimalNumber.zero)
    #expect((DecimalNumber("1.10")! - DecimalNumber("0.1")!).description == "1.00")
    #expect((DecimalNumber("0.04")! * DecimalNumber("54.5")!).description == "2.180")
  }

  @Test(arguments: [
    ("0.125", RoundingMode.halfEven, "0.12"), ("0.135", .halfEven, "0.14"), ("0.125", .halfUp, "0.13"),
    ("0.125", .halfDown, "0.12"), ("0.121", .up, "0.13"), ("0.129", .down, "0.12"), ("-0.125", .halfUp, "-0.13"),
    ("-0.125", .halfEven, "-0.12"), ("-0.121", .up, "-0.13"), ("-0.129", .down, "-0.12"), ("2.5", .halfEven, "2.50"),
  ])
  func rounds(_ input: String, _ mode: RoundingMode, _ expected: String) {
    #expect(DecimalNumber(input)!.rounded(toScale: 2, mode).description == expected)
  }

  @Test func multipliesAndDividesOnce() {
    // 10 GiB for 361 hours of a 730-hour month at 0.20: 0.989041… -> 0.99.
    let price = DecimalNumber("0.20")!
    let micros: Int128 = 361 * 3_600_000_000
    #expect(
      price.multiplied(by: micros * 10, dividedBy: 3_600_000_000 * 730, scale: 2, .halfEven).description == "0.99")
    // A third can only be rounded: 1/3 at 4 decimals.
    #expect(DecimalNumber(1).multiplied(by: 1, dividedBy: 3, scale: 4, .halfEven).description == "0.3333")
    #expect(DecimalNumber(2).multiplied(by: 1, dividedBy: 3, scale: 0, .down).description == "0")
  }

  @Test func moneyRefusesMixedCurrencies() throws {
    let euros = Money("1.00", "EUR")!
    #expect(try euros.adding(Money("2.50", "EUR")!).description == "3.50 EUR")
    #expect(throws: BillingError.currencyMismatch("EUR", "USD")) { try euros.adding(Money("1", "USD")!) }
    #expect(Money.isCurrencyCode("EUR") && !Money.isCurrencyCode("eur") && !Money.isCurrencyCode("EURO"))
  }

  @Test func encodesAsString() throws {
    let data = try JSONEncoder().encode(["a": DecimalNumber("0.10")!])
    #expect(String(decoding: data, as: UTF8.self) == #"{"a":"0.10"}"#)
    #expect(try JSONDecoder().decode([String: DecimalNumber].self, from: data)["a"]?.description == "0.10")
  }
}
