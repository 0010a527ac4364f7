import Foundation
import Images
import OpenStack
import Testing

@Suite("Sharing managed images with projects and domains", .testCloud)
struct BulkSharingTests {
  @Test func managedImagesAreSharedAcceptedAndUnsharedAgain() async throws {
    let tag = TestCloud.name("managed")
    let name = TestCloud.name("bulk")
    let demo2 = try await TestCloud.with("steward-demo2") { try await $0.currentToken().project!.id }
    try await TestCloud.with("steward-admin") { session in
      let images = try await session.image().images
      let image = try await images.create(ImageCreate(name: name, visibility: "private", tags: [tag]))
      let unmanaged = try await images.create(ImageCreate(name: name + "-other", visibility: "private"))
      do {
        try await images.upload(image.id, bytes: Data(repeating: 7, count: 4096))
        let bulk = BulkSharing(session: session)
        let managed = try await bulk.managedImages(tag: tag, filter: nil)
        #expect(managed.map(\.id) == [image.id])
        // Accepting on the member's behalf is what the peer does as admin.
        let shared = await bulk.share(managed, with: [demo2], accept: true)
        #expect(shared.map(\.result) == ["accepted"], "\(shared)")
        #expect(try await images.member(image.id, project: demo2)?.status == "accepted")
        let removed = await bulk.unshare(managed, from: [demo2])
        #expect(removed.map(\.result) == ["removed"])
        let again = await bulk.unshare(managed, from: [demo2])
        #expect(again.map(\.result) == ["skipped: not a member"])
        // Every project of a domain.
        let inDefault = try await bulk.projects(inDomain: "Default")
        #expect(inDefault.contains(demo2))
      } catch {
        try? await images.deleteIfPresent(image.id)
        try? await images.deleteIfPresent(unmanaged.id)
        throw error
      }
      try await images.deleteIfPresent(image.id)
      try await images.deleteIfPresent(unmanaged.id)
    }
  }
}
