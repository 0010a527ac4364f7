import Foundation
import Testing

@testable import Metering

@Suite struct JSONParserTests {
  private func parse(_ s: String) throws -> JSONValue { try JSONParser.parse(Array(s.utf8)) }

  @Test func values() throws {
    #expect(
      try parse(#" {"a": [1, -2, 3.5, -0.25e2, 1E3, true, false, null, "x"], "b": {}, "c": []} "#)
        == .object([
          "a": .array([
            .int(1), .int(-2), .double(3.5), .double(-25), .double(1000), .bool(true), .bool(false), .null,
            .string("x"),
          ]),
          "b": .object([:]), "c": .array([]),
        ]))
    #expect(try parse("9223372036854775807") == .int(.max))
    #expect(try parse("-9223372036854775808") == .int(.min))
    #expect(try parse("92233720368547758070") == .double(92_233_720_368_547_758_070))
    #expect(try parse("0") == .int(0))
  }

  @Test func stringEscapes() throws {
    #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
    #expect(try parse(#""gr\u00fc\u00DFe \ud83d\ude00 ü""#) == .string("grüße 😀 ü"))
  }

  @Test func rawMemberIsTheUnescapedBytesOfATopLevelString() throws {
    let body = #"{"v": "2.0", "m": "{\"a\": \"x\\\"y \u00fc\"}", "o": {"m": "nested"}}"#
    let (value, raw) = try JSONParser.parse(Array(body.utf8), rawMember: "m")
    #expect(raw == Array(#"{"a": "x\"y ü"}"#.utf8))
    let inner = try #require(raw)
    #expect(try JSONParser.parse(inner) == .object(["a": .string("x\"y ü")]))
    #expect(value == .object(["v": .string("2.0"), "m": .null, "o": .object(["m": .string("nested")])]))
    // A member that is not a string is parsed as usual.
    let (other, none) = try JSONParser.parse(Array(#"{"m": 1}"#.utf8), rawMember: "m")
    #expect(other == .object(["m": .int(1)]) && none == nil)
  }

  @Test func agreesWithJSONSerializationOnTheFixtures() throws {
    let dir = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    for file in try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
    where file.pathExtension == "json" {
      let data = try Data(contentsOf: file)
      let ours = try JSONParser.parse(Array(data))
      let theirs = try JSONDecoder().decode(JSONValue.self, from: data)
      #expect(ours == theirs, "\(file.lastPathComponent)")
    }
  }

  @Test(arguments: [
    "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a: 1}", "01", "1.", "-", "1e", "tru", "nul", "\"abc", "\"\\x\"",
    "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"", "\"a\u{01}b\"", "[1] 2", "NaN", "'a'",
  ])
  func rejects(_ text: String) {
    #expect(throws: JSONParser.Failure.self) { try parse(text) }
  }

  @Test func rejectsExcessiveNesting() {
    #expect(throws: JSONParser.Failure.self) {
      try parse(String(repeating: "[", count: 600) + String(repeating: "]", count: 600))
    }
    #expect((try? parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100))) != nil)
  }

  @Test func errorsSayWhere() {
    do {
      _ = try JSONParser.parse(Array(#"{"a": tru}"#.utf8))
      Issue.record("accepted")
    } catch {
      #expect(error.description == "invalid literal at byte 6")
    }
  }
}
