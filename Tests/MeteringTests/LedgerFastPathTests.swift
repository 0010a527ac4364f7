import Foundation
import Testing

@testable import Metering

/// `LedgerEngine.applyNewest` (the head-only fast path) must give exactly what the full-history fold gives
/// whenever it answers, and must answer for the common case: an observation newer than all history.
@Suite struct LedgerFastPathTests {
  static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

  /// A random observation of one of a few resources: small time range (ties happen), few states, specs and
  /// projects, sometimes no project, sometimes a deletion, sometimes the same source again.
  static func observation(_ rng: inout SeededGenerator, step: Int) -> Observation {
    let keys = [
      ResourceKey(.server, "s1"), ResourceKey(.volume, "v1"), ResourceKey(.project, "p1"), ResourceKey(.port, "x1"),
    ]
    let key = keys.randomElement(using: &rng)!
    let time = t0.addingTimeInterval(Double(Int.random(in: 0...40, using: &rng)))
    let source = Int.random(in: 0..<8, using: &rng) == 0 ? "m\(Int.random(in: 0..<step + 1, using: &rng))" : "m\(step)"
    if Int.random(in: 0..<10, using: &rng) == 0 {
      return Observation(key: key, time: time, sourceID: source, snapshot: nil)
    }
    let snapshot = ResourceSnapshot(
      projectID: ["p1", "p2", nil].randomElement(using: &rng)!, name: ["a", nil].randomElement(using: &rng)!,
      state: ["active", "stopped", "active"].randomElement(using: &rng)!,
      spec: ResourceSpec(flavor: ["small", "large"].randomElement(using: &rng)!))
    return Observation(key: key, time: time, sourceID: source, snapshot: snapshot)
  }

  @Test(arguments: 1...30)
  func fastPathAgreesWithTheFullHistory(seed: Int) async throws {
    var rng = SeededGenerator(seed: UInt64(seed))
    let store = InMemoryMeteringStore()
    var answered = 0
    var stepsInOrder = 0
    for step in 0..<60 {
      // Mostly in order, so the fast path is exercised as on a real stream.
      var o = Self.observation(&rng, step: step)
      if Int.random(in: 0..<4, using: &rng) != 0 {
        o.time = Self.t0.addingTimeInterval(Double(100 + step * 10))
        stepsInOrder += 1
      }
      if try await Self.fastPathAgrees(o, store: store, step: step) { answered += 1 }
    }
    #expect(answered >= stepsInOrder / 2, "the fast path answers newer observations")
  }

  /// Applies `observation` to `store` through the fold; first, if the fast path answers from the head, checks
  /// that it says exactly what the fold says. Returns whether it answered.
  static func fastPathAgrees(_ observation: Observation, store: InMemoryMeteringStore, step: Int) async throws -> Bool {
    let history = try await store.read { try await $0.history(of: observation.key) }
    let view = try await store.read { try await $0.viewEntry(observation.key) }
    let slow = LedgerEngine.apply(observation, to: history)
    let head = LedgerEngine.Head(view: view, open: history.rows.filter { $0.end == nil })
    var answered = false
    if slow.isNew, let fast = LedgerEngine.applyNewest(observation, head: head) {
      answered = true
      #expect(fast.isNew && fast.replaced.isEmpty && fast.correctionReason == nil)
      #expect(fast.view == slow.view, "view, step \(step)")
      #expect(fast.closes == slow.closes, "closes, step \(step)")
      #expect(fast.newRows == slow.newRows, "new rows, step \(step)")
      #expect(slow.replaced.isEmpty, "step \(step)")
    }
    _ = try await store.write { try await $0.apply(observation) }
    return answered
  }

  /// Streams in time order where many observations share an instant (Nova's whole-second update times):
  /// the fast path answers those that sort after the head and agrees with the fold.
  @Test(arguments: 1...30)
  func sameInstantObservationsAgreeWithTheFullHistory(seed: Int) async throws {
    var rng = SeededGenerator(seed: UInt64(seed) &+ 1000)
    let store = InMemoryMeteringStore()
    var answered = 0
    var sameInstant = 0
    var clock = 0
    var last: [ResourceKey: Date] = [:]
    for step in 0..<80 {
      clock += Int.random(in: 0..<3, using: &rng) == 0 ? 1 : 0
      var o = Self.observation(&rng, step: step)
      o.time = Self.t0.addingTimeInterval(Double(clock))
      // Source ids that do not grow with the step: a later message may sort before an earlier one.
      if Bool.random(using: &rng) { o.sourceID = "n\(Int.random(in: 0..<1000, using: &rng))" }
      let observation = o
      let isSameInstant = last[observation.key] == observation.time
      if try await Self.fastPathAgrees(observation, store: store, step: step) {
        answered += 1
        if isSameInstant { sameInstant += 1 }
      }
      last[observation.key] = max(last[observation.key] ?? observation.time, observation.time)
    }
    #expect(answered >= 20, "the fast path answers most of an in-order stream")
    #expect(sameInstant > 0, "same-instant observations were answered")
  }

  @Test func newerObservationsNeedOnlyTheHead() {
    let key = ResourceKey(.server, "s1")
    let snapshot = ResourceSnapshot(projectID: "p", state: "active", spec: ResourceSpec(flavor: "small"))
    let first = LedgerEngine.applyNewest(
      Observation(key: key, time: Self.t0, sourceID: "a", snapshot: snapshot), head: .empty)
    #expect(first?.newRows.count == 1 && first?.view?.firstObserved == Self.t0)
    let open = UsageInterval(
      id: 7, key: key, projectID: "p", spec: snapshot.spec, state: "active", start: Self.t0, end: nil, openedBy: "a",
      closedBy: nil, correctionID: nil)
    let head = LedgerEngine.Head(view: first?.view, open: [open])
    var stopped = snapshot
    stopped.state = "stopped"
    let later = Self.t0.addingTimeInterval(60)
    let stop = LedgerEngine.applyNewest(
      Observation(key: key, time: later, sourceID: "b", snapshot: stopped), head: head)
    #expect(stop?.closes == [LedgerEngine.Close(rowID: 7, end: later, closedBy: "b")])
    #expect(stop?.newRows.map(\.state) == ["stopped"])
    let same = LedgerEngine.applyNewest(
      Observation(key: key, time: later, sourceID: "c", snapshot: snapshot), head: head)
    #expect(same?.changesLedger == false, "same facts: the view moves on, the ledger does not")
    #expect(
      LedgerEngine.applyNewest(Observation(key: key, time: Self.t0, sourceID: "d", snapshot: stopped), head: head)
        == nil,
      "same instant as known history: full history decides")
    #expect(
      LedgerEngine.applyNewest(
        Observation(key: key, time: Self.t0.addingTimeInterval(-1), sourceID: "e", snapshot: nil), head: head) == nil,
      "late: full history decides")
  }
}
