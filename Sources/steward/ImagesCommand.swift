import ArgumentParser
import Images
import OpenStack
import StewardCore

struct ImagesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "images",
    abstract: "Glance images: definitions, sync with SCS metadata, checks and sharing between projects.",
    subcommands: [
      List.self, Validate.self, Plan.self, Sync.self, Check.self, Share.self, Unshare.self, Accept.self, Reject.self,
      Pending.self, Members.self,
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
      abstract: "Share an image, or all managed images, with a project or every project of a domain.",
      discussion: """
        One image: made 'shared' when private, the project added as member (it must accept, or use \
        --accept as admin). With --managed: every image with --tag this project owns (as \
        openstack-image-manager's --share-* options); --domain shares with all projects of a domain; \
        --remove takes the projects off again. Public and community images need no sharing and are skipped.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Image name or ID (or use --managed).") var image: String?
    @Option(help: "Target project: a name, an ID, or a cloud from clouds.yaml.") var project: String?
    @Option(help: "Share with every project of this domain (name or ID).") var domain: String?
    @Flag(help: "All images carrying --tag that this project owns.") var managed = false
    @Option(help: "With --managed: the tag of managed images.") var tag = "managed_by_osism"
    @Option(help: "With --managed: only images whose name matches this regular expression.") var filter: String?
    @Flag(help: "Accept the membership on the project's behalf (needs admin), as the peer does.") var accept = false
    @Flag(help: "Stop sharing instead.") var remove = false

    func validate() throws {
      if (image == nil) == !managed { throw ValidationError("give an image or --managed") }
      if (project == nil) == (domain == nil) { throw ValidationError("give either --project or --domain") }
      if let filter, (try? Regex(filter)) == nil {
        throw ValidationError("--filter '\(filter)' is not a regular expression")
      }
    }

    func execute() async throws {
      if let image, let project, !remove, !accept {
        let member = try await global.withSession { session in
          let target = try await ProjectResolver(session: session).resolve(project)
          return try await ImageSharing(session: session).share(image, with: target)
        }
        output(Renderer.show(ImagesCommand.memberRecord(member), format: global.format))
        return
      }
      let outcomes = try await global.withSession { session in
        let bulk = BulkSharing(session: session)
        let projects: [String]
        if let domain {
          projects = try await bulk.projects(inDomain: domain)
        } else {
          projects = [try await ProjectResolver(session: session).resolve(project!)]
        }
        let images: [Image]
        if let image {
          images = [try await ImageSharing(session: session).image(image)]
        } else {
          images = try await bulk.managedImages(tag: tag, filter: filter)
        }
        return remove
          ? await bulk.unshare(images, from: projects) : await bulk.share(images, with: projects, accept: accept)
      }
      let records: [Record] = outcomes.map {
        ["Image": .string($0.image), "Project": .string($0.project), "Result": .string($0.result)]
      }
      output(Renderer.list(records, columns: ["Image", "Project", "Result"], format: global.format))
      if outcomes.contains(where: \.failed) { throw ExitCode(1) }
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
