import ArgumentParser
import Foundation
import Metering
import StewardCore

extension MeteringCommand {
  struct Usage: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "usage", abstract: "A project's usage over a window, per resource, state and flavor.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "Project id, or its name as the view knows it (names come with resyncs).") var project: String
    @Option(help: "Window start, ISO 8601 (default: the first of this month, UTC).") var from: String?
    @Option(help: "Window end, ISO 8601 (default: now).") var to: String?

    func execute() async throws {
      let now = Date()
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC")!
      let monthStart = calendar.date(from: calendar.dateComponents([.year, .month], from: now)) ?? now
      let start = try MeteringCommand.date(from, "--from", default: monthStart)
      let end = try MeteringCommand.date(to, "--to", default: now)
      guard start < end else { throw ValidationError("--from must be before --to") }
      let project = project
      let report = try await store.withStore { store in
        let projectID = try await MeteringCommand.projectID(project, in: store)
        return try await store.usage(projectID: projectID, from: start, to: end, now: now)
      }
      var records: [Record] = []
      for resource in report.resources {
        for line in resource.lines {
          records.append([
            "Kind": .string(resource.key.kind.rawValue), "ID": .string(resource.key.id), "State": .string(line.state),
            "Flavor": .optional(line.spec.flavor), "vCPUs": .optional(line.spec.vcpus),
            "GB": .optional(line.spec.diskGB), "Bytes": .optional(line.spec.sizeBytes.map(Int.init)),
            "Hours": .double((line.hours * 1000).rounded() / 1000), "Billable": .bool(line.billable),
          ])
        }
      }
      let t = report.totals
      let totals: [(String, Double)] = [
        ("instance-hours", t.instanceHours), ("vcpu-hours", t.vcpuHours), ("memory-mb-hours", t.memoryMBHours),
        ("volume-gb-hours", t.volumeGBHours), ("image-gib-hours", t.imageGiBHours),
        ("floating-ip-hours", t.floatingIPHours),
      ]
      for (name, value) in totals {
        records.append([
          "Kind": "total", "ID": .string(name), "State": nil, "Flavor": nil, "vCPUs": nil, "GB": nil, "Bytes": nil,
          "Hours": .double((value * 1000).rounded() / 1000), "Billable": true,
        ])
      }
      output(Renderer.list(records, format: global.format))
    }
  }

  /// An id as given, unless the view knows no project by that id and exactly one by that name.
  static func projectID(_ text: String, in store: some MeteringStore) async throws -> String {
    let projects = try await store.read {
      try await $0.viewEntries(kind: .project, projectID: nil, includeDeleted: true)
    }
    if projects.contains(where: { $0.key.id == text }) { return text }
    let named = projects.filter { $0.snapshot?.name == text }
    if named.count > 1 {
      throw ValidationError(
        "project name '\(text)' is ambiguous (\(named.map(\.key.id).sorted().joined(separator: ", "))); give the id")
    }
    return named.first?.key.id ?? text
  }
}
