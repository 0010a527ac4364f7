import Foundation
import OpenStack

/// scs-0114 volume types: a description may start with an aspect list `[scs:encrypted, replicated]`;
/// it must be sorted, without duplicates, and name only known aspects.
public enum VolumeTypeAspects {
  public static let recognized = ["encrypted", "replicated"]

  /// The aspects a description lists, `nil` when it has no aspect list (an empty list is `[]`).
  public static func aspects(of description: String?) -> [String]? {
    guard let description, let match = description.prefixMatch(of: /\[scs:([^\[\]]*)\]/) else { return nil }
    let list = String(match.1)
    if list.isEmpty { return [] }
    return list.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
  }

  /// Problems of one type's aspect list, each naming the type.
  public static func problems(type: String, aspects: [String]) -> [String] {
    guard !aspects.isEmpty else { return [] }
    var problems: [String] = []
    if aspects != aspects.sorted() { problems.append("\(type): feature list not sorted") }
    var counts: [String: Int] = [:]
    var order: [String] = []
    for aspect in aspects {
      if counts[aspect] == nil { order.append(aspect) }
      counts[aspect, default: 0] += 1
    }
    let duplicates = order.filter { counts[$0]! > 1 }
    if !duplicates.isEmpty { problems.append("\(type): duplicate features: \(duplicates.joined(separator: ", "))") }
    let unknown = order.filter { !recognized.contains($0) }
    if !unknown.isEmpty { problems.append("\(type): unrecognized features: \(unknown.joined(separator: ", "))") }
    return problems
  }

  /// Aspect → type names, plus every syntax problem found.
  public static func lookup(_ types: [(name: String, description: String?)]) -> (
    byAspect: [String: [String]], problems: [String]
  ) {
    var byAspect: [String: [String]] = [:]
    var allProblems: [String] = []
    for type in types {
      guard let aspects = aspects(of: type.description) else { continue }
      allProblems += problems(type: type.name, aspects: aspects)
      for aspect in aspects { byAspect[aspect, default: []].append(type.name) }
    }
    return (byAspect, allProblems)
  }

  static var testcases: [Testcase] {
    @Sendable func fetch(_ context: CheckContext) async throws -> (byAspect: [String: [String]], problems: [String]) {
      // No block-storage service: listing fails and the testcase aborts, as upstream.
      try await context.shared("scs-0114-volume-types") {
        let types = try await context.session.blockStorage().volumeTypes.list().collect()
        return lookup(types.map { ($0.name, $0.description) })
      }.value()
    }
    return [
      Testcase("scs-0114-syntax-check") { context, log in
        let problems = try await fetch(context).problems
        for problem in problems { log.error(problem) }
        return problems.isEmpty
      }
    ]
      + ["encrypted", "replicated"].map { aspect in
        Testcase("scs-0114-\(aspect)-type") { context, log in
          let found = try await fetch(context).byAspect[aspect] ?? []
          if found.isEmpty { log.error("no volume type having aspect \(aspect)") }
          return !found.isEmpty
        }
      }
  }
}
