import Foundation
import Testing

@testable import Metering

private typealias F = NotificationFactory

/// Hand-computed from `NotificationFactory.cleanStream()` (minutes after 2024-05-14 00:00):
/// p1 s1 small active 9.5–70, stopped 70–100, active 100–130; large resized 130–135, active 135–199;
/// p1 s3 small active from 30; p1 vol1 10 GB 15–90, 20 GB 90–180; p2 s2 large active 20–50, suspended
/// 50–80, active 80–150, shelved_offloaded from 150; p2 fip1 25–170.
@Suite struct UsageReportTests {
  private func store() async throws -> InMemoryMeteringStore {
    let store = InMemoryMeteringStore()
    _ = try await NotificationIngestor(store: store).ingest(F.cleanStream().map { .init(body: $0) })
    return store
  }

  @Test func instanceHoursOverAWindow() async throws {
    let s = try await store()
    let r = try await s.usage(projectID: "p1", from: F.time(60), to: F.time(180), now: F.time(1000))
    // s1: 10 + 30 + 30 + 5 + 45 = 120 min; s3: 120 min.
    #expect(abs(r.totals.instanceHours - 4.0) < 1e-9)
    // small (1 vCPU): s1 70 min + s3 120 min; large (4 vCPUs): s1 50 min → 190 + 200 = 390 vCPU-minutes.
    #expect(abs(r.totals.vcpuHours - 6.5) < 1e-9)
    #expect(abs(r.totals.flavorHours["SCS-1V-2"]! - 190.0 / 60) < 1e-9)
    #expect(abs(r.totals.flavorHours["SCS-4V-8"]! - 50.0 / 60) < 1e-9)
    #expect(abs(r.totals.serverStateHours["stopped"]! - 0.5) < 1e-9)
    // vol1: 10 GB × 30 min + 20 GB × 90 min = 2100 GB-minutes.
    #expect(abs(r.totals.volumeGBHours - 35.0) < 1e-9)
    #expect(r.resources.map(\.key.id) == ["s1", "s3", "vol1"])
    let s1 = try #require(r.resources.first { $0.key.id == "s1" })
    #expect(s1.lines.count == 4 && abs(s1.hours - 2.0) < 1e-9)
  }

  @Test func openIntervalsCountUntilNowAndStatesCanBeExcluded() async throws {
    let s = try await store()
    let r = try await s.usage(projectID: "p2", from: F.time(60), to: F.time(180), now: F.time(170))
    // s2: suspended 20 + active 70 + shelved 20 (150–170) = 110 min; fip1 60–170 = 110 min.
    #expect(abs(r.totals.instanceHours - 110.0 / 60) < 1e-9)
    #expect(abs(r.totals.floatingIPHours - 110.0 / 60) < 1e-9)
    #expect(r.countedUntil == F.time(170))
    let strict = try await s.usage(
      projectID: "p2", from: F.time(60), to: F.time(180), now: F.time(170),
      policy: UsagePolicy(excludedServerStates: ["building", "shelved_offloaded", "suspended"]))
    #expect(abs(strict.totals.instanceHours - 70.0 / 60) < 1e-9)
    #expect(abs(strict.totals.serverStateHours["shelved_offloaded"]! - 20.0 / 60) < 1e-9, "still reported")
  }

  /// Seen on the real cloud: Nova's launched_at is truncated to the second and the ledger opens "active"
  /// there, but a compute.instance.update still saying "building" is stamped 0.6 s later. Building before
  /// the launch is not billed; after it, it is (Nova counts from launched_at whatever the state).
  @Test func buildingAfterTheLaunchIsBilledLikeNova() {
    func row(_ id: Int64, _ state: String, _ start: Double, _ end: Double?) -> UsageInterval {
      UsageInterval(
        id: id, key: ResourceKey(.server, "s"), projectID: "p", spec: ResourceSpec(flavor: "f", vcpus: 1),
        state: state, start: F.time(start), end: end.map(F.time), openedBy: "m\(id)", closedBy: nil,
        correctionID: nil)
    }
    let rows = [
      row(1, "building", 0, 10), row(2, "active", 10, 10.01), row(3, "building", 10.01, 10.02),
      row(4, "active", 10.02, 70),
    ]
    let r = UsageReport.compute(projectID: "p", from: F.time(0), to: F.time(100), intervals: rows, now: F.time(100))
    #expect(abs(r.totals.instanceHours - 1.0) < 1e-9, "60 minutes from the launch, the sliver included")
    let never = UsageReport.compute(
      projectID: "p", from: F.time(0), to: F.time(100), intervals: [row(1, "building", 0, 10)], now: F.time(100))
    #expect(never.totals.instanceHours == 0, "a server that never launched is not billed")
  }

  @Test func windowsOutsideTheLedgerAreEmpty() async throws {
    let s = try await store()
    let r = try await s.usage(projectID: "p1", from: F.time(-100), to: F.time(0), now: F.time(1000))
    #expect(r.resources.isEmpty && r.totals.instanceHours == 0)
  }
}
