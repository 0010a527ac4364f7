import Foundation
import OpenStack
import Testing

@Suite("Baremetal client against the real Ironic (fake-hardware)", .testCloud)
struct BaremetalTests {
  static let fakeInterfaces = [
    "boot": "fake", "deploy": "fake", "management": "fake", "power": "fake", "inspect": "fake",
    "console": "fake", "raid": "fake", "bios": "fake", "vendor": "fake", "rescue": "fake", "network": "noop",
  ]

  @Test func ownerLesseePowerAndProvisioning() async throws {
    let demo = try await TestCloud.with("steward-demo") { try await $0.currentToken().project!.id }
    let nodeID = try await TestCloud.with("steward-admin") { session in
      let nodes = try await session.baremetal().nodes
      let node = try await nodes.create(
        NodeCreate(
          name: TestCloud.name("node"), driver: "fake-hardware", resourceClass: "baremetal",
          properties: ["cpus": 8, "memory_mb": 16384], interfaces: Self.fakeInterfaces))
      #expect(node.provisionState == "enroll")
      let waiter = Waiter(timeout: .seconds(120), interval: .milliseconds(300))
      try await nodes.setProvisionState(node.id, "manage")
      try await nodes.waitForProvision(node.id, "manageable", waiter: waiter)
      try await nodes.setProvisionState(node.id, "provide")
      try await nodes.waitForProvision(node.id, "available", waiter: waiter)
      let leased = try await nodes.setLessee(node.id, demo)
      #expect(leased.lessee == demo)
      #expect(try await nodes.list(lessee: demo).collect().contains { $0.id == node.id })
      return node.id
    }
    // The lessee sees the node and may power it.
    try await TestCloud.with("steward-demo") { session in
      let nodes = try await session.baremetal().nodes
      #expect(try await nodes.list().collect().map(\.id).contains(nodeID))
      try await nodes.setPower(nodeID, .on)
      try await nodes.waitForPower(
        nodeID, "power on", waiter: Waiter(timeout: .seconds(60), interval: .milliseconds(300)))
    }
    // Another project sees nothing of it.
    try await TestCloud.with("steward-demo2") { session in
      let nodes = try await session.baremetal().nodes
      #expect(try await !nodes.list().collect().map(\.id).contains(nodeID))
      #expect(try await nodes.find(nodeID) == nil)
    }
    try await TestCloud.with("steward-admin") { session in
      let nodes = try await session.baremetal().nodes
      #expect(try await nodes.setLessee(nodeID, nil).lessee == nil)
      try await nodes.setPower(nodeID, .off)
      try await nodes.waitForPower(
        nodeID, "power off", waiter: Waiter(timeout: .seconds(60), interval: .milliseconds(300)))
      try await nodes.setProvisionState(nodeID, "manage")
      try await nodes.waitForProvision(
        nodeID, "manageable", waiter: Waiter(timeout: .seconds(60), interval: .milliseconds(300)))
      try await nodes.delete(nodeID)
      #expect(try await nodes.find(nodeID) == nil)
    }
  }
}
