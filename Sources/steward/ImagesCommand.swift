import ArgumentParser
import Images
import OpenStack
import StewardCore

struct ImagesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "images", abstract: "Glance images: definitions and sharing between projects.",
    subcommands: [
      List.self, Validate.self, Share.self, Unshare.self, Accept.self, Reject.self, Pending.self, Members.self,
    ])

  static func memberRecord(_ member: ImageMember) -> Record {
    [
      "Image ID": .string(member.imageID), "Member ID": .string(member.memberID), "Status": .string(member.status),
      "Updated": .optional(member.updatedAt),
    ]
  }

  struct List: StewardSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "List images; --shared shows images shared by or with this project, pending ones included.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Only shared images, with this project's relation (owner, pending, accepted, rejected).")
    var shared = false

    func execute() async throws {
      let records: [Record] = try await global.withSession { session in
        if shared {
          return try await ImageSharing(session: session).sharedImages().map { item in
            [
              "ID": .string(item.image.id), "Name": .optional(item.image.name), "Owner": .optional(item.image.owner),
              "Status": .string(item.image.status), "Relation": .string(item.relation),
            ]
          }
        }
        return try await session.image().images.list().collect().map { image in
          [
            "ID": .string(image.id), "Name": .optional(image.name), "Status": .string(image.status),
            "Visibility": .string(image.visibility),
          ]
        }
      }
      output(Renderer.list(records, format: global.format))
    }
  }

  struct Share: StewardSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Share an image with a project (made 'shared' when private; the project must accept).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Image name or ID.") var image: String
    @Option(help: "Target project: a name, an ID, or a cloud from clouds.yaml.") var project: String

    func execute() async throws {
      let member = try await global.withSession { session in
        let target = try await ProjectResolver(session: session).resolve(project)
        return try await ImageSharing(session: session).share(image, with: target)
      }
      output(Renderer.show(ImagesCommand.memberRecord(member), format: global.format))
    }
  }

  struct Unshare: StewardSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Remove a project from an image's members, or with --all make the image private (members kept).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Image name or ID.") var image: String
    @Option(help: "The project to remove: a name, an ID, or a cloud from clouds.yaml.") var project: String?
    @Flag(help: "Make the image private for now, keeping its member list (share again to restore).") var all = false

    func validate() throws {
      if (project == nil) == !all { throw ValidationError("give either --project or --all") }
    }

    func execute() async throws {
      try await global.withSession { session in
        let sharing = ImageSharing(session: session)
        if all {
          let image = try await sharing.unshareAll(image)
          output("image \(image.id) is now \(image.visibility); its members are kept\n")
        } else if let project {
          let target = try await ProjectResolver(session: session).resolve(project)
          try await sharing.unshare(image, from: target)
          output("project \(target) removed from image \(image)\n")
        }
      }
    }
  }

  struct Members: StewardSubcommand {
    static let configuration = CommandConfiguration(abstract: "List the projects an image is shared with.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Image name or ID.") var image: String

    func execute() async throws {
      let members = try await global.withSession { try await ImageSharing(session: $0).members(image) }
      output(Renderer.list(members.map(ImagesCommand.memberRecord), format: global.format))
    }
  }

  /// accept, reject and pending differ only in the status they set.
  protocol Respond: StewardSubcommand {
    static var status: String { get }
    var global: GlobalOptions { get }
    var image: String { get }
  }

  struct Accept: Respond {
    static let configuration = CommandConfiguration(abstract: "Accept an image shared with this project.")
    static let status = "accepted"
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Image name or ID.") var image: String
  }

  struct Reject: Respond {
    static let configuration = CommandConfiguration(abstract: "Reject an image shared with this project.")
    static let status = "rejected"
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Image name or ID.") var image: String
  }

  struct Pending: Respond {
    static let configuration = CommandConfiguration(
      abstract: "Set this project's answer for a shared image back to pending.")
    static let status = "pending"
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Image name or ID.") var image: String
  }
}

extension ImagesCommand.Respond {
  func execute() async throws {
    let member = try await global.withSession {
      try await ImageSharing(session: $0).respond(image, status: Self.status)
    }
    output(Renderer.show(ImagesCommand.memberRecord(member), format: global.format))
  }
}
