import ArgumentParser
import Foundation
import Logging
import OpenStack
import StewardCore

/// `steward lease …`: the leasing service's API from the command line (python-esileapclient's
/// `openstack esi …` commands), with the user's own Keystone token.
struct LeaseCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lease", abstract: "Bare-metal leases: offers, claims, leases and nodes (leasing service).",
    subcommands: [
      OfferCommand.self, Create.self, List.self, Show.self, Delete.self, NodeCommand.self,
    ])

  /// Where the service is: `--endpoint`, else the catalog's `lease` entry.
  struct ServiceOptions: ParsableArguments {
    @Option(help: "Leasing service URL (default: the catalog's 'lease' endpoint), e.g. http://127.0.0.1:7080.")
    var endpoint: String?
  }

  static func withAPI<T: Sendable>(
    _ global: GlobalOptions, _ service: ServiceOptions, _ body: (LeaseAPI) async throws -> T
  ) async throws -> T {
    var config = try CloudConfigLoader().load(cloud: global.cloud, regionName: global.regionName)
    if let endpoint = service.endpoint {
      guard let url = URL(string: endpoint), url.scheme == "http" || url.scheme == "https" else {
        throw ValidationError("--endpoint '\(endpoint)' is not an http(s) URL")
      }
      config.endpointOverrides["lease"] = endpoint
    }
    if global.debug { LoggingBootstrap.enableDebug() }
    var logger = Logger(label: "steward.openstack")
    logger.logLevel = global.debug ? .debug : .info
    return try await Session.with(config, logger: logger) { session in try await body(try await session.lease()) }
  }

  static func dateOption(_ text: String?, _ name: String) throws -> JSONValue? {
    guard let text else { return nil }
    guard text.count >= 10, text.first?.isNumber == true else {
      throw ValidationError("\(name) '\(text)' is not a date; use ISO 8601 such as 2026-01-31T12:00:00")
    }
    return .string(text)
  }

  static func properties(_ pairs: [String]) throws -> JSONValue? {
    guard !pairs.isEmpty else { return nil }
    var result: [String: JSONValue] = [:]
    for pair in pairs {
      let parts = pair.split(separator: "=", maxSplits: 1)
      guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--property '\(pair)' is not key=value") }
      result[String(parts[0])] = .string(String(parts[1]))
    }
    return .object(result)
  }

  static func record(_ offer: LeaseOffer) -> Record {
    [
      "UUID": .string(offer.uuid), "Name": .optional(offer.name), "Resource": .optional(offer.resource),
      "Resource Type": .optional(offer.resourceType), "Resource UUID": .optional(offer.resourceUUID),
      "Start Time": .optional(offer.startTime), "End Time": .optional(offer.endTime), "Status": .optional(offer.status),
      "Project": .optional(offer.project ?? offer.projectID), "Lessee": .optional(offer.lesseeID),
      "Availabilities": .strings((offer.availabilities ?? []).map { $0.joined(separator: " - ") }),
      "Parent Lease UUID": .optional(offer.parentLeaseUUID),
    ]
  }

  static func record(_ lease: LeaseRecord) -> Record {
    [
      "UUID": .string(lease.uuid), "Name": .optional(lease.name), "Resource": .optional(lease.resource),
      "Resource Type": .optional(lease.resourceType), "Resource UUID": .optional(lease.resourceUUID),
      "Project": .optional(lease.project ?? lease.projectID), "Owner": .optional(lease.owner ?? lease.ownerID),
      "Start Time": .optional(lease.startTime), "End Time": .optional(lease.endTime), "Status": .optional(lease.status),
      "Offer UUID": .optional(lease.offerUUID), "Parent Lease UUID": .optional(lease.parentLeaseUUID),
    ]
  }

  static let offerColumns = [
    "UUID", "Resource", "Resource Type", "Start Time", "End Time", "Status", "Project", "Lessee",
  ]
  static let leaseColumns = ["UUID", "Resource", "Project", "Owner", "Start Time", "End Time", "Status", "Offer UUID"]

  struct OfferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "offer", abstract: "Offers of nodes for a time window.",
      subcommands: [OfferCreate.self, OfferList.self, OfferShow.self, OfferClaim.self, OfferDelete.self])
  }

  struct OfferCreate: StewardSubcommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Offer a node you own.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var service: ServiceOptions
    @Option(help: "Node UUID or name.") var resourceUUID: String
    @Option(help: "ironic_node (default) or dummy_node.") var resourceType: String?
    @Option(help: "Start (ISO 8601, UTC; default now).") var startTime: String?
    @Option(help: "End (ISO 8601, UTC; default never).") var endTime: String?
    @Option(help: "Only this project (ID or name) may claim it.") var lessee: String?
    @Option(help: "Offer name.") var name: String?
    @Option(help: "key=value property (repeatable).") var property: [String] = []

    func execute() async throws {
      var body: [String: JSONValue] = ["resource_uuid": .string(resourceUUID)]
      body["resource_type"] = resourceType.map { .string($0) }
      body["start_time"] = try LeaseCommand.dateOption(startTime, "--start-time")
      body["end_time"] = try LeaseCommand.dateOption(endTime, "--end-time")
      body["lessee_id"] = lessee.map { .string($0) }
      body["name"] = name.map { .string($0) }
      body["properties"] = try LeaseCommand.properties(property)
      let offer = try await LeaseCommand.withAPI(global, service) { try await $0.createOffer(body) }
      output(Renderer.show(LeaseCommand.record(offer), format: global.format))
    }
  }

  struct OfferList: StewardSubcommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List offers you may see.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var service: ServiceOptions
    @Option(help: "available (default), expired, deleted, error or any.") var status: String?
    @Option(help: "Offering project.") var project: String?
    @Option(help: "Node UUID or name.") var resourceUUID: String?
    @Option(help: "Resource type.") var resourceType: String?
    @Option(help: "Offers covering this start (with --time-end).") var timeStart: String?
    @Option(help: "Offers covering this end (with --time-start).") var timeEnd: String?

    func execute() async throws {
      var filters: [String: String] = [:]
      filters["status"] = status
      filters["project_id"] = project
      filters["resource_uuid"] = resourceUUID
      filters["resource_type"] = resourceType
      filters["start_time"] = timeStart
      filters["end_time"] = timeEnd
      let offers = try await LeaseCommand.withAPI(global, service) { try await $0.offers(filters) }
      output(Renderer.list(offers.map(LeaseCommand.record), columns: LeaseCommand.offerColumns, format: global.format))
    }
  }

  struct OfferShow: StewardSubcommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an offer.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var service: ServiceOptions
    @Argument(help: "Offer UUID or name.") var offer: String

    func execute() async throws {
      let found = try await LeaseCommand.withAPI(global, service) { try await $0.offer(offer) }
      output(Renderer.show(LeaseCommand.record(found), format: global.format))
    }
  }

  struct OfferClaim: StewardSubcommand {
    static let configuration = CommandConfiguration(commandName: "claim", abstract: "Claim an offer for your project.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var service: ServiceOptions
    @Argument(help: "Offer UUID or name.") var offer: String
    @Option(help: "Start (default now).") var startTime: String?
    @Option(help: "End (default: the offer's next lease or end).") var endTime: String?
    @Option(help: "Lease name.") var name: String?

    func execute() async throws {
      var body: [String: JSONValue] = [:]
      body["start_time"] = try LeaseCommand.dateOption(startTime, "--start-time")
      body["end_time"] = try LeaseCommand.dateOption(endTime, "--end-time")
      body["name"] = name.map { .string($0) }
      let lease = try await LeaseCommand.withAPI(global, service) { try await $0.claim(offer, body) }
      output(Renderer.show(LeaseCommand.record(lease), format: global.format))
    }
  }

  struct OfferDelete: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "delete", abstract: "Withdraw an offer (its leases are cancelled).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var service: ServiceOptions
    @Argument(help: "Offer UUID or name.") var offer: String

    func execute() async throws {
      try await LeaseCommand.withAPI(global, service) { try await $0.deleteOffer(offer) }
      output("Deleted offer \(offer)\n")
    }
  }

  struct Create: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "create", abstract: "Lease a node you own (or hold) directly to a project.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var service: ServiceOptions
    @Option(help: "Node UUID or name.") var resourceUUID: String
    @Option(help: "Lessee project (ID or name).") var project: String
    @Option(help: "ironic_node (default) or dummy_node.") var resourceType: String?
    @Option(help: "Start (default now).") var startTime: String?
    @Option(help: "End (default never).") var endTime: String?
    @Option(help: "Lease name.") var name: String?

    func execute() async throws {
      var body: [String: JSONValue] = ["resource_uuid": .string(resourceUUID), "project_id": .string(project)]
      body["resource_type"] = resourceType.map { .string($0) }
      body["start_time"] = try LeaseCommand.dateOption(startTime, "--start-time")
      body["end_time"] = try LeaseCommand.dateOption(endTime, "--end-time")
      body["name"] = name.map { .string($0) }
      let lease = try await LeaseCommand.withAPI(global, service) { try await $0.createLease(body) }
      output(Renderer.show(LeaseCommand.record(lease), format: global.format))
    }
  }

  struct List: StewardSubcommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List your leases.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var service: ServiceOptions
    @Option(help: "Status (default: current ones) or any.") var status: String?
    @Option(help: "Lessee project.") var project: String?
    @Option(help: "Owner project.") var owner: String?
    @Option(help: "Leases of this offer.") var offer: String?
    @Flag(help: "All leases (admin).") var all = false

    func execute() async throws {
      var filters: [String: String] = [:]
      filters["status"] = status
      filters["project_id"] = project
      filters["owner_id"] = owner
      filters["offer_uuid"] = offer
      if all { filters["view"] = "all" }
      let leases = try await LeaseCommand.withAPI(global, service) { try await $0.leases(filters) }
      output(Renderer.list(leases.map(LeaseCommand.record), columns: LeaseCommand.leaseColumns, format: global.format))
    }
  }

  struct Show: StewardSubcommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a lease.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var service: ServiceOptions
    @Argument(help: "Lease UUID or name.") var lease: String

    func execute() async throws {
      let found = try await LeaseCommand.withAPI(global, service) { try await $0.lease(lease) }
      output(Renderer.show(LeaseCommand.record(found), format: global.format))
    }
  }

  struct Delete: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "delete", abstract: "Cancel a lease (the node is taken back).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var service: ServiceOptions
    @Argument(help: "Lease UUID or name.") var lease: String

    func execute() async throws {
      try await LeaseCommand.withAPI(global, service) { try await $0.deleteLease(lease) }
      output("Deleted lease \(lease)\n")
    }
  }

  struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "node", abstract: "Nodes with their offers and leases.", subcommands: [NodeList.self])
  }

  struct NodeList: StewardSubcommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List nodes you own or lease.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var service: ServiceOptions

    func execute() async throws {
      let nodes = try await LeaseCommand.withAPI(global, service) { try await $0.nodes() }
      let records: [Record] = nodes.map { node in
        [
          "UUID": .string(node.uuid), "Name": .optional(node.name), "Owner": .optional(node.owner),
          "Lessee": .optional(node.lessee), "Provision State": .optional(node.provisionState),
          "Maintenance": .optional(node.maintenance), "Offer UUID": .optional(node.offerUUID),
          "Lease UUID": .optional(node.leaseUUID), "Future Offers": .optional(node.futureOffers),
          "Future Leases": .optional(node.futureLeases),
        ]
      }
      output(
        Renderer.list(
          records, columns: ["UUID", "Name", "Owner", "Lessee", "Provision State", "Offer UUID", "Lease UUID"],
          format: global.format))
    }
  }
}
