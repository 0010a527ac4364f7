import Foundation
import OpenStack
import Testing

@testable import Metering

/// What the APIs list must map to the same snapshot fields the notifications give, or every resync would
/// report drift that is not there.
@Suite struct CloudObserverMappingTests {
  @Test func aServerListedByNovaMatchesItsCreateNotification() throws {
    let json = #"""
      {"id": "9f9d01b9-4a58-4271-9e27-398b21ab20d1", "name": "web-1", "status": "ACTIVE",
       "tenant_id": "6f70656e737461636b20342065766572", "user_id": "1e3ce043029547f1a61c1996d1a531a2",
       "OS-EXT-STS:vm_state": "active", "OS-SRV-USG:launched_at": "2024-05-14T09:12:09.000000",
       "created": "2024-05-14T09:12:01Z", "metadata": {"steward:rack": "rack-a"},
       "flavor": {"original_name": "SCS-2V-4", "vcpus": 2, "ram": 4096, "disk": 10, "ephemeral": 0}}
      """#
    let server = try JSONDecoder().decode(Server.self, from: Data(json.utf8))
    let observed = CloudObserver.server(server)
    let url = try #require(Bundle.module.url(forResource: "Fixtures/nova-instance-create-end", withExtension: "json"))
    let notification = try OpenStackNotification.parse(try Data(contentsOf: url))
    let fromEvent = try #require(notification.observations.first?.snapshot)
    #expect(ResyncPlanner.differencesBetween(view: fromEvent, api: observed.snapshot) == [])
    #expect(observed.snapshot.stackID == "rack-a")
    #expect(observed.since == NotificationTimestamp.parse("2024-05-14T09:12:09.000000"), "from launched_at")
  }

  @Test func aStoppedServerWithoutVMStateFallsBackToItsStatus() throws {
    let json = #"{"id": "s", "name": "n", "status": "SHUTOFF", "tenant_id": "p", "created": "2024-05-14T09:12:01Z"}"#
    let observed = CloudObserver.server(try JSONDecoder().decode(Server.self, from: Data(json.utf8)))
    #expect(observed.snapshot.state == "stopped", "the vm_state SHUTOFF means")
    #expect(observed.since == NotificationTimestamp.parse("2024-05-14T09:12:01Z"))
  }
}
