import Foundation
import NIOCore
import OpenStack
import Testing

@Suite("Image client against the real Glance", .testCloud)
struct ImageTests {
  @Test func createUploadPatchTagAndDelete() async throws {
    try await TestCloud.with("steward-demo") { session in
      let images = try await session.image().images
      let image = try await images.create(
        ImageCreate(
          name: TestCloud.name("img"), tags: ["steward"], properties: ["os_distro": "debian", "os_version": "12"]))
      #expect(image.status == "queued")
      #expect(image.properties["os_distro"] == "debian")
      // Streamed upload in chunks; Glance computes the hash.
      let chunk = ByteBuffer(repeating: 0x5A, count: 64 * 1024)
      try await images.upload(image.id, length: Int64(chunk.readableBytes * 4)) {
        AsyncThrowingStream { continuation in
          for _ in 0..<4 { continuation.yield(chunk) }
          continuation.finish()
        }
      }
      try await images.waitFor(image.id, waiter: Waiter(timeout: .seconds(60), interval: .milliseconds(200)))
      let active = try await images.get(image.id)
      #expect(active.size == Int64(256 * 1024))
      #expect(active.hashAlgorithm == "sha512")
      #expect(active.hashValue?.count == 128)

      let patched = try await images.update(
        image.id, [.replace("/os_version", "12.5"), .add("/image_build_date", "2026-11-01"), .add("/min_ram", 256)])
      #expect(patched.properties["os_version"] == "12.5")
      #expect(patched.minRAM == 256)
      try await images.addTag(image.id, "os:debian")
      try await images.removeTag(image.id, "steward")
      #expect(try await images.get(image.id).tags == ["os:debian"])
      #expect(try await images.list(tag: "os:debian").collect().contains { $0.id == image.id })

      try await images.delete(image.id)
      #expect(try await images.find(image.id) == nil)
    }
  }

  @Test func sharingBetweenTwoProjects() async throws {
    let demo2 = try await TestCloud.with("steward-demo2") { try await $0.currentToken().project!.id }
    let imageID = try await TestCloud.with("steward-demo") { session in
      let images = try await session.image().images
      let image = try await images.create(ImageCreate(name: TestCloud.name("shared"), visibility: "shared"))
      let member = try await images.addMember(image.id, project: demo2)
      #expect(member.status == "pending")
      return image.id
    }
    try await TestCloud.with("steward-demo2") { session in
      let images = try await session.image().images
      #expect(try await images.setMemberStatus(imageID, project: demo2, status: "accepted").status == "accepted")
      #expect(try await images.list(visibility: "shared").collect().contains { $0.id == imageID })
      #expect(try await images.setMemberStatus(imageID, project: demo2, status: "rejected").status == "rejected")
    }
    try await TestCloud.with("steward-demo") { session in
      let images = try await session.image().images
      #expect(try await images.members(imageID).map(\.status) == ["rejected"])
      try await images.removeMember(imageID, project: demo2)
      #expect(try await images.member(imageID, project: demo2) == nil)
      try await images.delete(imageID)
    }
  }

  @Test func importMethodsIncludeWebDownload() async throws {
    let methods = try await TestCloud.with("steward-admin") { try await $0.image().images.importMethods() }
    #expect(methods.contains("web-download"))
    #expect(methods.contains("glance-direct"))
  }
}
