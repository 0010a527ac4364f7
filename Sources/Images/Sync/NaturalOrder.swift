import Foundation

/// Orders version strings as `natsort` does (openstack-image-manager sorts versions with it): runs of
/// digits compare as numbers, so `9` < `10` and `2024-01-05` < `2024-01-12`.
enum NaturalOrder {
  static func less(_ lhs: String, _ rhs: String) -> Bool {
    let left = chunks(lhs)
    let right = chunks(rhs)
    for (a, b) in zip(left, right) where a != b {
      switch (a, b) {
      case (.number(let x, _), .number(let y, _)): if x != y { return x < y }
      case (.number, .text): return true
      case (.text, .number): return false
      case (.text(let x), .text(let y)): return x < y
      }
    }
    if left.count != right.count { return left.count < right.count }
    return lhs < rhs
  }

  static func sorted(_ values: [String]) -> [String] { values.sorted(by: less) }

  enum Chunk: Equatable {
    case number(Decimal, String)
    case text(String)
  }

  static func chunks(_ text: String) -> [Chunk] {
    var result: [Chunk] = []
    var current = ""
    var inDigits = false
    func flush() {
      guard !current.isEmpty else { return }
      result.append(inDigits ? .number(Decimal(string: current) ?? 0, current) : .text(current))
      current = ""
    }
    for character in text {
      let digit = character.isASCII && character.isNumber
      if digit != inDigits { flush() }
      inDigits = digit
      current.append(character)
    }
    flush()
    return result
  }
}
