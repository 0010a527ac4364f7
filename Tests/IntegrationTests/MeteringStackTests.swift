import AMQP
import Foundation
import Metering
import OpenStack
import Storage
import Testing

/// A Heat stack (a rack, in Concertim's terms) followed from the real cloud's notifications: the stack and
/// its servers show in the view without any resync; a server whose template tags it with `metering.stack`
/// is placed in the rack by its own Nova notifications, and the resync places the rest (Heat's per-stack
/// resource list; listing stacks across projects needs `stacks:global_index`, which the harness's Heat
/// policy gives to admins).
@Suite("Metering follows a Heat stack", .testCloud)
struct MeteringStackTests {
  static let waiter = Waiter(timeout: .seconds(300), interval: .seconds(1))

  static func template(_ suffix: String) -> String {
    """
    heat_template_version: 2021-04-16
    parameters:
      image: {type: string}
      flavor: {type: string}
    resources:
      net: {type: OS::Neutron::Net, properties: {name: rack-net-\(suffix)}}
      subnet:
        type: OS::Neutron::Subnet
        properties: {network: {get_resource: net}, cidr: 10.253.\(Int.random(in: 1...250)).0/24}
      vol: {type: OS::Cinder::Volume, properties: {size: 1, name: rack-vol-\(suffix)}}
      tagged:
        type: OS::Nova::Server
        depends_on: subnet
        properties:
          image: {get_param: image}
          flavor: {get_param: flavor}
          networks: [{network: {get_resource: net}}]
          metadata: {"metering.stack": {get_param: "OS::stack_id"}}
      untagged:
        type: OS::Nova::Server
        depends_on: subnet
        properties:
          image: {get_param: image}
          flavor: {get_param: flavor}
          networks: [{network: {get_resource: net}}]
    """
  }

  @Test func stackAndItsServersFromNotificationsMembersFromHeat() async throws {
    let queue = TestCloud.name("metering-stack")
    let path = MeteringTestSupport.temporaryDatabase("stack")
    defer { MeteringTestSupport.removeDatabase(path) }
    let database = try await DatabaseOpener.open(path)
    let store = try await SQLMeteringStore.open(database)
    let run = try await MeteringTestSupport.followNotifications(
      queue: queue, exchanges: ["heat", "nova", "cinder", "neutron"], into: store)
    defer { run.cancel() }

    try await MeteringTestSupport.withFlavorAndImage("stack") { flavor, image in
      try await TestCloud.with("steward-demo") { session in
        let project = try #require(try await session.currentToken().project?.id)
        let stacks = try await session.orchestration().stacks
        let name = TestCloud.name("rack")
        let id = try await MeteringTestSupport.createStack(stacks, name: name) {
          try await stacks.create(
            name: name, template: Self.template(String(name.suffix(8))), parameters: ["image": image, "flavor": flavor])
        }
        do {
          let status = try await Self.waiter.wait(
            for: "stack \(name)", done: ["CREATE_COMPLETE"], failed: ["CREATE_FAILED"]
          ) { try await stacks.get(name: name, id: id).stackStatus ?? "" }
          #expect(status == "CREATE_COMPLETE")
          let resources = try await stacks.resources(stackName: name, stackID: id)
          func physical(_ resource: String) throws -> String {
            try #require(resources.first { $0.resourceName == resource }?.physicalResourceID)
          }
          let tagged = ResourceKey(.server, try physical("tagged"))
          let untagged = ResourceKey(.server, try physical("untagged"))
          let volume = ResourceKey(.volume, try physical("vol"))
          let network = ResourceKey(.network, try physical("net"))
          let rack = ResourceKey(.stack, id)

          // Notifications alone: the stack, both servers, the volume; the tagged server in the rack.
          let followed = try await MeteringTestSupport.eventually(.seconds(120), every: .milliseconds(500)) {
            let entries = try await store.read { r in
              [
                try await r.viewEntry(rack), try await r.viewEntry(tagged), try await r.viewEntry(untagged),
                try await r.viewEntry(volume),
              ]
            }
            return entries[0]?.snapshot?.state == "CREATE_COMPLETE" && entries[1]?.snapshot?.state == "active"
              && entries[2]?.snapshot?.state == "active" && entries[3] != nil
          }
          #expect(followed, "stack, servers and volume followed from notifications")
          let (stackEntry, servers) = try await store.read { r in
            (
              try await r.viewEntry(rack),
              try await r.viewEntries(kind: .server, projectID: project, includeDeleted: false)
            )
          }
          #expect(stackEntry?.snapshot?.name == name && stackEntry?.snapshot?.projectID == project)
          #expect(servers.filter { $0.snapshot?.stackID == id }.map(\.key) == [tagged], "the rack from notifications")

          // The resync asks Heat what the stack is made of and places the rest; filling that in is not drift.
          let (plan, failures) = try await TestCloud.with("steward-admin") { admin in
            let observed = await CloudObserver(session: admin).observe()
            return (try await store.resync(observed.observation, runID: "stack"), observed.failures)
          }
          #expect(failures[.stack] == nil, "stacks listed across projects (stacks:global_index): \(failures)")
          #expect(plan.repairs.first { $0.key == untagged }?.kind == .filledIn)
          let members = try await store.read { r in
            try await [untagged, volume, network].asyncMap { try await r.viewEntry($0)?.snapshot?.stackID }
          }
          #expect(members == [id, id, id], "untagged server, volume and network placed in the rack")

          // The next resync remembers that this stack's resources were listed at its current change time and
          // does not ask Heat about it again, unless a server, volume or floating IP appeared in its project
          // since (the demo project is shared with other tests running meanwhile); its members stay in the rack.
          let listings = try await store.read { try await $0.stackResourceListings() }
          #expect(listings.stacks[id] != nil, "\(listings)")
          let (again, asked, grown) = try await TestCloud.with("steward-admin") { admin in
            let observed = await CloudObserver(session: admin, stackListings: listings).observe()
            let grown = listings.projectsWithNewResources(observed.observation).contains(project)
            return (
              try await store.resync(observed.observation, runID: "stack-again"), observed.stacksAsked, grown
            )
          }
          #expect(asked.contains(id) == grown, "asked again only when its project grew (grew: \(grown))")
          #expect(!again.repairs.contains { [untagged, volume, network].contains($0.key) }, "\(again.repairs)")
          let stillPlaced = try await store.read { r in
            try await [untagged, volume, network].asyncMap { try await r.viewEntry($0)?.snapshot?.stackID }
          }
          #expect(stillPlaced == [id, id, id])

          try await stacks.delete(name: name, id: id)
          _ = try await Self.waiter.wait(for: "stack \(name) deletion", done: ["DELETE_COMPLETE", "gone"]) {
            do { return try await stacks.get(name: name, id: id).stackStatus ?? "" } catch let e as OpenStackError
              where e.status == 404
            { return "gone" }
          }
          let gone = try await MeteringTestSupport.eventually(.seconds(120), every: .milliseconds(500)) {
            let entries = try await store.read { r in
              [try await r.viewEntry(rack), try await r.viewEntry(tagged), try await r.viewEntry(untagged)]
            }
            return entries.allSatisfy { $0?.deletedAt != nil }
          }
          #expect(gone, "stack and servers deleted in the view from notifications")
        } catch {
          try? await stacks.delete(name: name, id: id)
          throw error
        }
      }
    }
    run.cancel()
    _ = try? await run.value
    await MeteringTestSupport.deleteQueues([queue])
    await database.close()
  }
}

extension Array {
  func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
    var out: [T] = []
    for e in self { out.append(try await transform(e)) }
    return out
  }
}
