import Billing
import Foundation
import Metering

enum Fixture {
  static func path(_ name: String) -> String {
    Bundle.module.path(forResource: "Fixtures/\(name)", ofType: nil)!
  }

  static func schedule(_ name: String = "prices.yaml") throws -> PriceSchedule {
    try PriceListLoader.schedule(files: [path(name)])
  }
}

/// `2026-11-03T10:00:00Z`.
func t(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

func row(
  _ id: Int64, _ kind: ResourceReference.Kind, _ resource: String, project: String = "p1", state: String = "active",
  flavor: String? = nil, vcpus: Int? = nil, ram: Int? = nil, disk: Int? = nil, bytes: Int64? = nil, _ start: String,
  _ end: String?
) -> UsageInterval {
  UsageInterval(
    id: id, key: ResourceKey(kind, resource), projectID: project,
    spec: ResourceSpec(flavor: flavor, vcpus: vcpus, memoryMB: ram, diskGB: disk, sizeBytes: bytes), state: state,
    start: t(start),
    end: end.map(t), openedBy: "test", closedBy: end == nil ? nil : "test", correctionID: nil)
}

func entry(
  _ kind: ResourceReference.Kind, _ id: String, project: String = "p1", name: String? = nil, stack: String? = nil,
  attachedTo: [String] = [], from: String = "2026-10-01T00:00:00Z", deleted: String? = nil
) -> ViewEntry {
  ViewEntry(
    key: ResourceKey(kind, id),
    snapshot: ResourceSnapshot(projectID: project, name: name, state: "active", stackID: stack, attachedTo: attachedTo),
    firstObserved: t(from), lastObserved: t(from), lastSourceID: "test", deletedAt: deleted.map(t))
}

let november = try! BillingCycle.calendarMonth.period("2026-11")
