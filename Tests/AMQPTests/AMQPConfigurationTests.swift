import Foundation
import NIOSSL
import Testing

@testable import AMQP

@Suite struct AMQPConfigurationTests {
  @Test func plainAMQPURL() throws {
    let c = try AMQPConfiguration(url: "amqp://steward:s3cret@rabbit.example.org:5673/metering")
    #expect(c.endpoints == [.init(host: "rabbit.example.org", port: 5673, username: "steward", password: "s3cret")])
    #expect(c.virtualHost == "metering")
  }

  @Test func defaultsAndTLS() throws {
    let c = try AMQPConfiguration(url: "amqps://rabbit")
    #expect(c.endpoints == [.init(host: "rabbit", port: 5671, username: "guest", password: "guest", tls: true)])
    #expect(c.virtualHost == "/")
    let local = try AMQPConfiguration(url: "amqp://")
    #expect(local.endpoints.first?.host == "localhost")
    #expect(local.endpoints.first?.port == 5672)
  }

  @Test func percentEncodedCredentialsAndVhost() throws {
    let c = try AMQPConfiguration(url: "amqp://us%40er:p%3Ass%2Fw@h/%2Fprod")
    #expect(c.endpoints[0].username == "us@er")
    #expect(c.endpoints[0].password == "p:ss/w")
    #expect(c.virtualHost == "/prod")
    #expect(try AMQPConfiguration(url: "amqp://h/%2F").virtualHost == "/")
  }

  @Test func osloTransportURLWithSeveralHosts() throws {
    let c = try AMQPConfiguration(
      url: "rabbit://openstack:pw1@10.0.0.1:5672,openstack:pw2@10.0.0.2:5672,10.0.0.3/?ssl=1&amqp_auto_delete=false")
    #expect(c.endpoints.map(\.host) == ["10.0.0.1", "10.0.0.2", "10.0.0.3"])
    #expect(c.endpoints.map(\.password) == ["pw1", "pw2", "pw1"])
    #expect(c.endpoints.map(\.port) == [5672, 5672, 5671])
    #expect(c.endpoints.allSatisfy { $0.tls })
    #expect(c.virtualHost == "/")
  }

  @Test func testCloudTransportURL() throws {
    let c = try AMQPConfiguration(url: "rabbit://guest:guest@127.0.0.1:5682/")
    #expect(c.endpoints == [.init(host: "127.0.0.1", port: 5682)])
    #expect(c.virtualHost == "/")
  }

  @Test func ipv6AndQueryTuning() throws {
    let c = try AMQPConfiguration(
      url: "amqp://u:p@[::1]:5682/v?heartbeat=15&frame_max=8192&channel_max=16&connection_timeout=3")
    #expect(c.endpoints[0].host == "::1")
    #expect(c.endpoints[0].port == 5682)
    #expect(c.heartbeat == 15)
    #expect(c.frameMax == 8192)
    #expect(c.channelMax == 16)
    #expect(c.connectTimeout == .seconds(3))
  }

  @Test func invalidURLs() {
    #expect(throws: AMQPError.invalidURL("unsupported scheme http:// (amqp, amqps or rabbit)")) {
      try AMQPConfiguration(url: "http://h")
    }
    #expect(throws: AMQPError.invalidURL("missing scheme in guest:***@h")) { try AMQPConfiguration(url: "guest:pw@h") }
    #expect(throws: AMQPError.invalidURL("invalid port 99999")) { try AMQPConfiguration(url: "amqp://h:99999") }
    #expect(throws: AMQPError.invalidURL("invalid port x")) { try AMQPConfiguration(url: "amqp://h:x/") }
    #expect(throws: AMQPError.invalidURL("empty host in rabbit://a:***@h1,,h2/")) {
      try AMQPConfiguration(url: "rabbit://a:b@h1,,h2/")
    }
    #expect(throws: AMQPError.invalidURL("heartbeat=-1 is not a number in range")) {
      try AMQPConfiguration(url: "amqp://h?heartbeat=-1")
    }
    #expect(throws: AMQPError.invalidURL("unterminated IPv6 address")) {
      try AMQPConfiguration(url: "amqp://[::1:5672")
    }
  }

  @Test func osloTLSFilesAreCheckedAndUsed() throws {
    let ca = NSTemporaryDirectory() + "steward-ca-\(UUID().uuidString.prefix(8)).pem"
    try "-----BEGIN CERTIFICATE-----\n".write(toFile: ca, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: ca) }
    let config = try AMQPConfiguration(url: "rabbit://u:p@h:5671/?ssl=1&ssl_ca_file=\(ca)")
    #expect(config.endpoints[0].tls)
    #expect(config.tlsConfiguration?.trustRoots == .file(ca))
    #expect(config.tlsConfiguration?.certificateVerification == .fullVerification)
    #expect(try AMQPConfiguration(url: "amqps://h/").tlsConfiguration == nil, "system trust roots by default")
    #expect(throws: AMQPError.invalidURL("ssl_ca_file needs TLS: use amqps:// or ssl=1")) {
      try AMQPConfiguration(url: "amqp://h/?ssl_ca_file=\(ca)")
    }
    #expect(throws: AMQPError.invalidURL("ssl_ca_file=/no/such/ca.pem: no such readable file")) {
      try AMQPConfiguration(url: "amqps://h/?ssl_ca_file=/no/such/ca.pem")
    }
    #expect(
      throws: AMQPError.invalidURL("ssl_cert_file and ssl_key_file go together (a client certificate and its key)")
    ) {
      try AMQPConfiguration(url: "amqps://h/?ssl_cert_file=\(ca)")
    }
  }

  @Test func redactionHidesEveryPassword() {
    #expect(
      AMQPConfiguration.redacted("rabbit://u:secret1@h1:5672,u:secret2@h2:5672/")
        == "rabbit://u:***@h1:5672,u:***@h2:5672/")
    #expect(AMQPConfiguration.redacted("amqp://h/") == "amqp://h/")
  }

  @Test func negotiationRules() {
    #expect(AMQPNegotiated.limit(client: UInt32(131_072), server: 0) == 131_072)
    #expect(AMQPNegotiated.limit(client: UInt32(0), server: 4096) == 4096)
    #expect(AMQPNegotiated.limit(client: UInt32(131_072), server: 65536) == 65536)
    #expect(AMQPNegotiated.limit(client: UInt16(0), server: 2047) == 2047)
    #expect(AMQPNegotiated.heartbeat(client: 0, server: 60) == 0)
    #expect(AMQPNegotiated.heartbeat(client: 10, server: 60) == 10)
    #expect(AMQPNegotiated.heartbeat(client: 120, server: 60) == 60)
    #expect(AMQPNegotiated.heartbeat(client: 30, server: 0) == 30)
  }
}
