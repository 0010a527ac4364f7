import Foundation
import Testing

@testable import Metering

private func fixture(_ name: String) throws -> Data {
  let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "json"))
  return try Data(contentsOf: url)
}

private func parse(_ name: String) throws -> OpenStackNotification {
  try OpenStackNotification.parse(try fixture(name))
}

private func date(_ s: String) -> Date { NotificationTimestamp.parse(s)! }

@Suite struct NotificationEnvelopeTests {
  @Test func osloEnvelopeIsUnwrapped() throws {
    let n = try parse("nova-instance-create-end")
    #expect(n.messageID == "dae6f69c-00e0-41c0-b371-41ec3b7f4451")
    #expect(n.eventType == "compute.instance.create.end")
    #expect(n.publisherID == "compute.compute-1")
    #expect(n.priority == "INFO")
    #expect(n.requestID == "req-d68b36e0-9233-467f-9afb-d81435d64d66")
    #expect(abs(n.timestamp.timeIntervalSince1970 - 1_715_677_929.985999) < 0.000_001)
    #expect(n.payload["display_name"] == .string("web-1"))
  }

  @Test func unwrappedMessagesParseToo() throws {
    let n = try parse("nova-instance-resize-confirm-end")
    #expect(n.messageID == "c48deeba-d0c3-4154-b3db-47480b52267a")
    guard case .instance(let e) = n.event else {
      Issue.record("\(n.event)")
      return
    }
    #expect(e.action == .resizeConfirmed)
  }

  @Test func envelopeAndBareMessageGiveTheSameNotification() throws {
    let wrapped = try parse("nova-instance-create-end")
    let envelope = try JSONSerialization.jsonObject(with: try fixture("nova-instance-create-end")) as! [String: Any]
    let inner = Data((envelope["oslo.message"] as! String).utf8)
    #expect(try OpenStackNotification.parse(inner) == wrapped)
    #expect(try OpenStackNotification.parse(Array(inner)) == wrapped)
  }

  @Test func malformedMessagesFailWithTypedErrors() {
    func parse(_ s: String) throws(NotificationError) -> OpenStackNotification {
      try OpenStackNotification.parse(Array(s.utf8))
    }
    #expect(throws: NotificationError.self) { try parse("not json") }
    #expect(throws: NotificationError.invalidJSON("expected a JSON object")) { try parse("[1, 2]") }
    #expect(throws: NotificationError.unsupportedEnvelope(version: "3.0")) {
      try parse(#"{"oslo.version": "3.0", "oslo.message": "{}"}"#)
    }
    #expect(throws: NotificationError.missingField(eventType: nil, field: "oslo.message")) {
      try parse(#"{"oslo.version": "2.0"}"#)
    }
    #expect(throws: NotificationError.self) { try parse(#"{"oslo.version": "2.0", "oslo.message": "{not json"}"#) }
    #expect(throws: NotificationError.missingField(eventType: nil, field: "event_type")) {
      try parse(#"{"message_id": "m", "timestamp": "2024-05-14 09:00:00", "payload": {}}"#)
    }
    #expect(throws: NotificationError.missingField(eventType: "volume.create.end", field: "message_id")) {
      try parse(#"{"event_type": "volume.create.end", "timestamp": "2024-05-14 09:00:00", "payload": {}}"#)
    }
    #expect(
      throws: NotificationError.invalidField(
        eventType: "x.y", field: "timestamp", reason: "\"yesterday\" is not a timestamp")
    ) {
      try parse(#"{"event_type": "x.y", "message_id": "m", "timestamp": "yesterday", "payload": {}}"#)
    }
    #expect(throws: NotificationError.missingField(eventType: "x.y", field: "payload")) {
      try parse(#"{"event_type": "x.y", "message_id": "m", "timestamp": "2024-05-14 09:00:00"}"#)
    }
    #expect(throws: NotificationError.invalidField(eventType: "x.y", field: "payload", reason: "expected an object")) {
      try parse(#"{"event_type": "x.y", "message_id": "m", "timestamp": "2024-05-14 09:00:00", "payload": "s"}"#)
    }
  }

  @Test func knownEventWithABrokenPayloadIsAnError() {
    let body = #"""
      {"event_type": "compute.instance.create.end", "message_id": "m", "timestamp": "2024-05-14 09:00:00",
       "payload": {"tenant_id": "p", "vcpus": "many"}}
      """#
    #expect(
      throws: NotificationError.missingField(eventType: "compute.instance.create.end", field: "payload.instance_id")
    ) {
      try OpenStackNotification.parse(Array(body.utf8))
    }
    let badInt = #"""
      {"event_type": "compute.instance.create.end", "message_id": "m", "timestamp": "2024-05-14 09:00:00",
       "payload": {"instance_id": "i", "tenant_id": "p", "vcpus": "many"}}
      """#
    #expect(
      throws: NotificationError.invalidField(
        eventType: "compute.instance.create.end", field: "payload.vcpus", reason: "\"many\" is not an integer")
    ) {
      try OpenStackNotification.parse(Array(badInt.utf8))
    }
    let noSize = #"""
      {"event_type": "volume.create.end", "message_id": "m", "timestamp": "2024-05-14 09:00:00",
       "payload": {"volume_id": "v", "tenant_id": "p"}}
      """#
    #expect(throws: NotificationError.missingField(eventType: "volume.create.end", field: "payload.size")) {
      try OpenStackNotification.parse(Array(noSize.utf8))
    }
  }

  @Test func errorsDescribeTheField() {
    let e = NotificationError.invalidField(
      eventType: "volume.create.end", field: "payload.size", reason: "expected an integer")
    #expect("\(e)" == "volume.create.end: invalid field payload.size: expected an integer")
  }
}

@Suite struct InstanceEventTests {
  @Test func createEnd() throws {
    guard case .instance(let e) = try parse("nova-instance-create-end").event else {
      Issue.record()
      return
    }
    #expect(e.action == .created)
    let i = e.instance
    #expect(i.id == "9f9d01b9-4a58-4271-9e27-398b21ab20d1")
    #expect(i.projectID == "6f70656e737461636b20342065766572")
    #expect(i.userID == "1e3ce043029547f1a61c1996d1a531a2")
    #expect(i.name == "web-1")
    #expect(i.flavor == .init(name: "SCS-2V-4", id: "SCS-2V-4", vcpus: 2, memoryMB: 4096, rootGB: 10, ephemeralGB: 0))
    #expect(i.state == "active")
    #expect(i.host == "compute-1")
    #expect(i.availabilityZone == "nova")
    #expect(i.imageID == "155d900f-4e14-4e4c-a73d-069cbf4541e6")
    #expect(i.createdAt == date("2024-05-14T09:12:01Z"))
    #expect(i.launchedAt == date("2024-05-14T09:12:09Z"))
    #expect(i.deletedAt == nil && i.terminatedAt == nil)
    #expect(i.metadata == ["steward:rack": "rack-a"])
  }

  @Test func lifecycle() throws {
    let expected: [(String, InstanceAction, String?, String?)] = [
      ("nova-instance-power-off-end", .poweredOff, "stopped", "SCS-2V-4"),
      ("nova-instance-finish-resize-end", .resized, "resized", "SCS-4V-8"),
      ("nova-instance-resize-confirm-end", .resizeConfirmed, "active", "SCS-4V-8"),
      ("nova-instance-delete-end", .deleted, "deleted", "SCS-4V-8"),
      ("nova-instance-update", .updated, "active", "SCS-2V-4"),
    ]
    for (name, action, state, flavor) in expected {
      guard case .instance(let e) = try parse(name).event else {
        Issue.record("\(name)")
        continue
      }
      #expect(e.action == action, "\(name)")
      #expect(e.instance.state == state, "\(name)")
      #expect(e.instance.flavor.name == flavor, "\(name)")
    }
    guard case .instance(let resized) = try parse("nova-instance-finish-resize-end").event else { return }
    #expect(resized.instance.flavor.vcpus == 4 && resized.instance.flavor.memoryMB == 8192)
    #expect(resized.instance.metadata == ["steward:rack": "rack-a"], "list-style metadata")
    guard case .instance(let deleted) = try parse("nova-instance-delete-end").event else { return }
    #expect(abs(deleted.instance.terminatedAt!.timeIntervalSince1970 - 1_715_688_002.512417) < 0.000_001)
    #expect(deleted.instance.deletedAt == date("2024-05-14 12:00:03"))
  }

  @Test func versionedPayload() throws {
    let n = try parse("nova-versioned-instance-power-off-end")
    #expect(n.requestID == "req-5b6c791d-5709-4f36-8fbe-c3e02869e35d")
    guard case .instance(let e) = n.event else {
      Issue.record()
      return
    }
    #expect(e.action == .poweredOff)
    #expect(e.instance.id == "178b0921-8f85-4257-88b6-2e743b5a975c")
    #expect(e.instance.projectID == "6f70656e737461636b20342065766572")
    #expect(
      e.instance.flavor
        == .init(
          name: "test_flavor", id: "a22d5517-147c-4147-a0d1-e698df5cd4e3", vcpus: 1, memoryMB: 512, rootGB: 1,
          ephemeralGB: 0))
    #expect(e.instance.state == "stopped")
    #expect(e.instance.imageID == "155d900f-4e14-4e4c-a73d-069cbf4541e6")
    #expect(e.instance.createdAt == date("2012-10-29T13:42:11Z"))
  }

  @Test(arguments: [
    ("compute.instance.create.end", InstanceAction.created), ("compute.instance.delete.end", .deleted),
    ("compute.instance.resize.end", .resized), ("compute.instance.finish_resize.end", .resized),
    ("compute.instance.resize.confirm.end", .resizeConfirmed), ("compute.instance.resize.revert.end", .resizeReverted),
    ("compute.instance.power_on.end", .poweredOn), ("compute.instance.power_off.end", .poweredOff),
    ("compute.instance.suspend.end", .suspended), ("compute.instance.resume.end", .resumed),
    ("compute.instance.pause.end", .paused), ("compute.instance.unpause.end", .unpaused),
    ("compute.instance.shelve.end", .shelved), ("compute.instance.shelve_offload.end", .shelveOffloaded),
    ("compute.instance.unshelve.end", .unshelved), ("compute.instance.rebuild.end", .rebuilt),
    ("compute.instance.update", .updated), ("instance.resize_confirm.end", .resizeConfirmed),
    ("instance.shelve_offload.end", .shelveOffloaded), ("instance.update", .updated),
  ])
  func eventTypes(_ eventType: String, _ action: InstanceAction) {
    #expect(InstanceAction(eventType: eventType) == action)
  }

  @Test(arguments: [
    "compute.instance.create.start", "compute.instance.exists", "compute.instance.create.error",
    "compute.instance.volume.attach", "instance.create.start", "compute.instance.snapshot.end",
  ])
  func notFollowed(_ eventType: String) {
    #expect(InstanceAction(eventType: eventType) == nil)
  }

  @Test func startAndExistsAreUnknown() throws {
    #expect(try parse("nova-instance-create-start").event == .unknown)
    #expect(try parse("nova-instance-exists").event == .unknown)
  }
}

@Suite struct OtherServiceEventTests {
  @Test func volumes() throws {
    guard case .volume(let created) = try parse("cinder-volume-create-end").event else {
      Issue.record()
      return
    }
    #expect(created.action == .created)
    #expect(created.volume.id == "5e3c1c2a-8e0b-4a8f-9a55-0c4b1f8d2e11")
    #expect(created.volume.projectID == "6f70656e737461636b20342065766572")
    #expect(created.volume.sizeGB == 10)
    #expect(created.volume.volumeType == "e1a2b3c4-d5e6-47f8-9a0b-1c2d3e4f5a6b")
    #expect(created.volume.status == "available")
    #expect(created.volume.name == "data-1")
    #expect(created.volume.createdAt == date("2024-05-14T09:20:01Z"))
    #expect(created.volume.attachedTo.isEmpty)

    guard case .volume(let attached) = try parse("cinder-volume-attach-end").event else {
      Issue.record()
      return
    }
    #expect(attached.action == .attached)
    #expect(attached.volume.attachedTo == ["9f9d01b9-4a58-4271-9e27-398b21ab20d1"])
    guard case .volume(let resized) = try parse("cinder-volume-resize-end").event else {
      Issue.record()
      return
    }
    #expect(resized.action == .resized && resized.volume.sizeGB == 20)
    guard case .volume(let deleted) = try parse("cinder-volume-delete-end").event else {
      Issue.record()
      return
    }
    #expect(deleted.action == .deleted)
    #expect(VolumeAction(eventType: "volume.detach.end") == .detached)
    #expect(VolumeAction(eventType: "volume.create.start") == nil)
  }

  @Test func stacks() throws {
    guard case .stack(let e) = try parse("heat-stack-create-end").event else {
      Issue.record()
      return
    }
    #expect(e.action == .created)
    #expect(e.stack.id == "cb4a6fd1-1f5d-4002-ae91-9b91573cfb03")
    #expect(e.stack.name == "rack-a")
    #expect(e.stack.projectID == "6f70656e737461636b20342065766572")
    #expect(e.stack.state == "CREATE_COMPLETE")
    #expect(e.stack.createdAt == date("2024-05-14T09:29:40Z"))
    #expect(StackAction(eventType: "orchestration.stack.delete.end") == .deleted)
    #expect(StackAction(eventType: "orchestration.stack.suspend.end") == .suspended)
    #expect(StackAction(eventType: "orchestration.stack.create.start") == nil)
  }

  @Test func identity() throws {
    #expect(
      try parse("keystone-project-created").event
        == .project(IdentityEvent(action: .created, id: "a1b2c3d4e5f647a8b9c0d1e2f3a4b5c6")))
    #expect(
      try parse("keystone-user-deleted-cadf").event
        == .user(IdentityEvent(action: .deleted, id: "b2c3d4e5f6a7480990a1b2c3d4e5f6a7")))
    let roleAssignment = #"""
      {"event_type": "identity.role_assignment.created", "message_id": "m", "timestamp": "2024-05-14 09:00:00",
       "payload": {"role": "r", "project": "p", "user": "u"}}
      """#
    #expect(try OpenStackNotification.parse(Array(roleAssignment.utf8)).event == .unknown)
  }

  @Test func networks() throws {
    guard case .network(let created) = try parse("neutron-network-create-end").event else {
      Issue.record()
      return
    }
    #expect(created.action == .created)
    #expect(
      created.resources == [
        NetworkState(
          id: "7fd4eb2f-a38e-4c25-8490-71ca8800c9be", projectID: "6f70656e737461636b20342065766572", name: "private",
          status: "ACTIVE", external: false, shared: false)
      ])
    guard case .network(let deleted) = try parse("neutron-network-delete-end").event else {
      Issue.record()
      return
    }
    #expect(deleted.action == .deleted)
    #expect(deleted.resources == [NetworkState(id: "7fd4eb2f-a38e-4c25-8490-71ca8800c9be")])
  }

  @Test func bulkPorts() throws {
    guard case .port(let e) = try parse("neutron-port-create-end-bulk").event else {
      Issue.record()
      return
    }
    #expect(e.action == .created)
    #expect(e.resources.map(\.id) == ["296c2c9f-14e9-48da-979d-78b213454c59", "d8bb667f-5cd3-4eca-a984-268e25b1b7a5"])
    #expect(e.resources[0].fixedIPs == ["10.0.0.5"])
    #expect(e.resources[1].deviceID == "9f9d01b9-4a58-4271-9e27-398b21ab20d1")
    #expect(e.resources[1].deviceOwner == "compute:nova")
    #expect(e.resources[0].deviceID == nil, "empty device_id means unused")
  }

  @Test func floatingIPs() throws {
    guard case .floatingIP(let e) = try parse("neutron-floatingip-update-end").event else {
      Issue.record()
      return
    }
    #expect(e.action == .updated)
    let f = try #require(e.resources.first)
    #expect(f.address == "172.24.4.227")
    #expect(f.portID == "296c2c9f-14e9-48da-979d-78b213454c59")
    #expect(f.projectID == "6f70656e737461636b20342065766572")
    #expect(f.floatingNetworkID == "001400f7-1710-4245-98c3-39ba131cc39a")
  }

  @Test func neutronDeleteWithBodyAndWithout() throws {
    let withBody = #"""
      {"event_type": "port.delete.end", "message_id": "m", "timestamp": "2024-05-14 09:00:00",
       "payload": {"port_id": "p1", "port": {"id": "p1", "project_id": "proj", "network_id": "n"}}}
      """#
    guard case .port(let e) = try OpenStackNotification.parse(Array(withBody.utf8)).event else {
      Issue.record()
      return
    }
    #expect(e.resources.first?.projectID == "proj")
    let broken = #"""
      {"event_type": "floatingip.create.end", "message_id": "m", "timestamp": "2024-05-14 09:00:00", "payload": {}}
      """#
    #expect(throws: NotificationError.missingField(eventType: "floatingip.create.end", field: "payload.floatingip")) {
      try OpenStackNotification.parse(Array(broken.utf8))
    }
  }

  @Test func unknownServicesAndTypes() throws {
    guard case .image(let upload) = try parse("glance-image-upload").event else {
      Issue.record("image.upload is followed")
      return
    }
    #expect(upload.action == .uploaded && upload.image.sizeBytes == 2_147_483_648)
    for type in ["subnet.create.end", "router.update.end", "network.create.start", "magnum.cluster.create"] {
      let body = #"{"event_type": "\#(type)", "message_id": "m", "timestamp": "2024-05-14 09:00:00", "payload": {}}"#
      #expect(try OpenStackNotification.parse(Array(body.utf8)).event == .unknown, "\(type)")
    }
  }
}

@Suite struct NotificationTimestampTests {
  @Test(arguments: [
    ("2012-05-08 20:23:48.028195", 1_336_508_628.028195), ("2012-05-08T20:23:48.028195", 1_336_508_628.028195),
    ("2012-05-08 20:23:48", 1_336_508_628), ("2012-10-29T13:42:11Z", 1_351_518_131),
    ("2024-05-14 09:12:01+00:00", 1_715_677_921), ("2024-05-14T11:12:01+02:00", 1_715_677_921),
    ("2024-05-14T04:12:01-0500", 1_715_677_921), ("2000-02-29T00:00:00", 951_782_400),
    ("1970-01-01T00:00:00Z", 0),
  ])
  func parses(_ text: String, _ epoch: Double) throws {
    let d = try #require(NotificationTimestamp.parse(text))
    #expect(abs(d.timeIntervalSince1970 - epoch) < 0.000_001)
  }

  @Test(arguments: [
    "", "2012-05-08", "2014-05-1510: 24: 56.335612", "2012-13-01 00:00:00", "2012-05-08 20:23:48.",
    "2012-05-08 20:23:48 junk", "yesterday",
  ])
  func rejects(_ text: String) {
    #expect(NotificationTimestamp.parse(text) == nil)
  }
}

@Suite struct ResourceReferenceTests {
  @Test func everyFollowedEventNamesItsResources() throws {
    let p = "6f70656e737461636b20342065766572"
    let expected: [String: [ResourceReference]] = [
      "nova-instance-create-end": [.init(kind: .server, id: "9f9d01b9-4a58-4271-9e27-398b21ab20d1", projectID: p)],
      "nova-versioned-instance-power-off-end": [
        .init(kind: .server, id: "178b0921-8f85-4257-88b6-2e743b5a975c", projectID: p)
      ],
      "cinder-volume-create-end": [.init(kind: .volume, id: "5e3c1c2a-8e0b-4a8f-9a55-0c4b1f8d2e11", projectID: p)],
      "heat-stack-create-end": [.init(kind: .stack, id: "cb4a6fd1-1f5d-4002-ae91-9b91573cfb03", projectID: p)],
      "keystone-project-created": [
        .init(kind: .project, id: "a1b2c3d4e5f647a8b9c0d1e2f3a4b5c6", projectID: "a1b2c3d4e5f647a8b9c0d1e2f3a4b5c6")
      ],
      "keystone-user-deleted-cadf": [.init(kind: .user, id: "b2c3d4e5f6a7480990a1b2c3d4e5f6a7")],
      "neutron-network-delete-end": [.init(kind: .network, id: "7fd4eb2f-a38e-4c25-8490-71ca8800c9be")],
      "neutron-port-create-end-bulk": [
        .init(kind: .port, id: "296c2c9f-14e9-48da-979d-78b213454c59", projectID: p),
        .init(kind: .port, id: "d8bb667f-5cd3-4eca-a984-268e25b1b7a5", projectID: p),
      ],
      "neutron-floatingip-update-end": [
        .init(kind: .floatingIP, id: "2b7cc28c-6f78-4735-9246-257168405de6", projectID: p)
      ],
      "glance-image-upload": [
        .init(kind: .image, id: "155d900f-4e14-4e4c-a73d-069cbf4541e6", projectID: p)
      ],
    ]
    for (name, resources) in expected {
      #expect(try parse(name).event.resources == resources, "\(name)")
    }
  }
}
