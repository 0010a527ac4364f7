import Foundation
import Images
import OpenStack
import Testing

@Suite("Image sharing between two projects with two users", .testCloud)
struct ImageSharingTests {
  let loader = CloudConfigLoader(environment: ["OS_CLIENT_CONFIG_FILE": TestCloud.cloudsFile])

  @Test func shareAcceptRejectPendingUnshareCycle() async throws {
    let name = TestCloud.name("shared")
    let (imageID, target) = try await TestCloud.with("steward-demo") { session in
      let images = try await session.image().images
      let image = try await images.create(ImageCreate(name: name))
      try await images.upload(image.id, bytes: Data(repeating: 3, count: 2048))
      // The target named by its cloud in clouds.yaml resolves to that cloud's project.
      let target = try await ProjectResolver(session: session, loader: loader).resolve("steward-demo2")
      let member = try await ImageSharing(session: session).share(name, with: target)
      #expect(member.status == "pending")
      #expect(try await images.get(image.id).visibility == "shared")
      // Sharing again is harmless.
      #expect(try await ImageSharing(session: session).share(image.id, with: target).status == "pending")
      return (image.id, target)
    }
    try await TestCloud.with("steward-demo2") { session in
      let sharing = ImageSharing(session: session)
      #expect(try await sharing.sharedImages().first { $0.image.id == imageID }?.relation == "pending")
      #expect(try await sharing.respond(imageID, status: "accepted").status == "accepted")
      #expect(try await sharing.sharedImages().first { $0.image.id == imageID }?.relation == "accepted")
      #expect(try await session.image().images.list(visibility: "shared").collect().contains { $0.id == imageID })
      #expect(try await sharing.respond(name, status: "rejected").status == "rejected")
      #expect(try await sharing.respond(imageID, status: "pending").status == "pending")
      _ = try await sharing.respond(imageID, status: "accepted")
    }
    try await TestCloud.with("steward-demo") { session in
      let sharing = ImageSharing(session: session)
      #expect(try await sharing.members(imageID).map(\.status) == ["accepted"])
      // --all: private for now, the member list survives.
      let madePrivate = try await sharing.unshareAll(imageID)
      #expect(madePrivate.visibility == "private")
    }
    try await TestCloud.with("steward-demo2") { session in
      let visible = try await session.image().images.find(imageID)
      #expect(visible == nil)
    }
    try await TestCloud.with("steward-demo") { session in
      let sharing = ImageSharing(session: session)
      _ = try await sharing.share(imageID, with: target)
      #expect(try await sharing.members(imageID).map(\.status) == ["accepted"])
      try await sharing.unshare(imageID, from: target)
      #expect(try await sharing.members(imageID).isEmpty)
      await #expect(throws: ImageSharingError.notAMember(image: imageID, project: target)) {
        try await sharing.unshare(imageID, from: target)
      }
      try await session.image().images.delete(imageID)
    }
  }

  @Test func memberCannotResolveProjectNamesButCanUseIDsAndClouds() async throws {
    try await TestCloud.with("steward-demo") { session in
      let resolver = ProjectResolver(session: session, loader: loader)
      await #expect(throws: ImageSharingError.self) { _ = try await resolver.resolve("demo2") }
      let id = try await resolver.resolve("steward-demo2")
      #expect(try await resolver.resolve(id) == id)
    }
    try await TestCloud.with("steward-admin") { session in
      let byName = try await ProjectResolver(session: session, loader: loader).resolve("demo2")
      #expect(byName.count == 32)
    }
  }

  @Test func publicImagesAreNotShared() async throws {
    try await TestCloud.with("steward-admin") { session in
      let images = try await session.image().images
      let image = try await images.create(ImageCreate(name: TestCloud.name("public"), visibility: "public"))
      let demo = try await ProjectResolver(session: session, loader: loader).resolve("steward-demo")
      await #expect(throws: ImageSharingError.self) {
        _ = try await ImageSharing(session: session).share(image.id, with: demo)
      }
      try await images.delete(image.id)
    }
  }
}
