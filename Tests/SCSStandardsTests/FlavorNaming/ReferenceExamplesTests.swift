import Foundation
import Testing

@testable import SCSStandards

/// Every example name with the result of the standard's own reference checker (copied from the SCS
/// standards repository's checker output): our verdict, canonical and short names and extra specs must
/// be the same for all of them.
struct ReferenceExamplesTests {
  struct Example: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let valid: Bool
    let toleratedV1: Bool
    let canonical: String?
    let short: String?
    let extraSpecs: [String: String]?

    var testDescription: String { name }

    enum CodingKeys: String, CodingKey {
      case name, valid, canonical, short
      case toleratedV1 = "tolerated_v1"
      case extraSpecs = "extra_specs"
    }
  }

  struct File: Decodable {
    let examples: [Example]
  }

  static let examples: [Example] = {
    let url = Bundle.module.url(forResource: "Fixtures/flavor-name-examples", withExtension: "json")!
    return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).examples
  }()

  @Test func fixtureIsComplete() {
    #expect(Self.examples.count == 96)
    #expect(Self.examples.contains { $0.valid })
    #expect(Self.examples.contains { $0.toleratedV1 })
    #expect(Self.examples.contains { !$0.valid && !$0.toleratedV1 })
  }

  @Test(arguments: examples)
  func matchesReferenceChecker(_ example: Example) throws {
    let check = FlavorNameCheck(example.name)
    #expect(check.isValid == example.valid)
    #expect(check.isToleratedV1 == example.toleratedV1)
    if example.valid {
      let parsed = try #require(check.flavorName)
      #expect(parsed.canonical == example.canonical)
      #expect(parsed.short == example.short)
      #expect(SCSExtraSpecs.dictionary(from: parsed) == example.extraSpecs)
      #expect(check.error == nil)
    } else {
      #expect(check.error != nil)
    }
  }

  /// A canonical name reads back to itself, and its v1 form to the same canonical name. (Properties may
  /// differ only where the name cannot show them: CPU generation 0 is written as no generation.)
  @Test(arguments: examples.filter(\.valid))
  func canonicalNamesRoundTrip(_ example: Example) throws {
    let parsed = try FlavorName(parsing: example.name)
    #expect(try FlavorName(parsing: parsed.canonical).canonical == parsed.canonical)
    let v1 = FlavorNameCheck(parsed.formatted(.v1))
    #expect(v1.isToleratedV1)
    #expect(v1.flavorName?.canonical == parsed.canonical)
    #expect(FlavorNameSyntax.v2(fromV1: parsed.formatted(.v1)) == parsed.canonical)
  }
}
