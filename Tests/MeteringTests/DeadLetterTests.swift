import Foundation
import Testing

@testable import Metering

struct DeadLetterTests {
  @Test func tokensAndPasswordsNeverReachTheDeadLetterTable() {
    let body = #"""
      {"oslo.version": "2.0", "oslo.message": "{\"_context_auth_token\": \"gAAAAsecret1\", \"event_type\": \"compute.instance.create.end\", \"payload\": {\"admin_password\": \"hunter2\", \"name\": \"vm\"}"}
      """#
    let letter = DeadLetter(body: Array(body.utf8), error: "truncated", receivedAt: Date())
    let kept = String(decoding: letter.body, as: UTF8.self)
    #expect(!kept.contains("gAAAAsecret1"))
    #expect(!kept.contains("hunter2"))
    #expect(kept.contains(#"\"_context_auth_token\": \"***\""#))
    #expect(kept.contains(#"\"name\": \"vm\""#))

    let plain = DeadLetter(body: Array(#"{"auth_token": "abc", "x": 1"#.utf8), error: "bad", receivedAt: Date())
    #expect(String(decoding: plain.body, as: UTF8.self) == #"{"auth_token": "***", "x": 1"#)
    // The identity is the original body's: a redelivery of the same bad message is the same dead letter.
    let again = DeadLetter(body: Array(body.utf8), error: "truncated", receivedAt: Date())
    #expect(again.id == letter.id)
  }

  @Test func bodiesWithoutSecretsAreKeptByteForByte() {
    let bytes: [UInt8] = [0x7b, 0xff, 0xfe, 0x22]
    #expect(DeadLetter(body: bytes, error: "binary", receivedAt: Date()).body == bytes)
  }
}
