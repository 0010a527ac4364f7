import Foundation
import StewardServer

/// `limit`/`marker` paging as OpenStack's own APIs do it, so a client that lists Nova or Keystone can list
/// Steward the same way: a page ends at `limit` items (at most `maximumLimit`, also the default, so one
/// answer stays bounded however many projects the cloud has), `marker` is the last id of the previous page,
/// and a `next` link is present only when more items follow.
struct Pagination: Sendable, Equatable {
  static let maximumLimit = 1000

  var limit: Int
  var marker: String?

  init(limit: Int = Pagination.maximumLimit, marker: String? = nil) {
    self.limit = limit
    self.marker = marker
  }

  init(_ parameters: [String: String]) throws {
    var limit = Self.maximumLimit
    if let text = parameters["limit"] {
      guard let value = Int(text), value > 0 else {
        throw APIError.badRequest("limit: expected a positive whole number, not '\(text)'")
      }
      limit = min(value, Self.maximumLimit)
    }
    self.init(limit: limit, marker: parameters["marker"])
  }

  /// The page after `marker` in `items` (already in their listing order); `next` is the marker of the
  /// following page. An unknown marker is a 400, as in Nova: silently restarting would repeat items.
  func page<Item>(_ items: [Item], id: (Item) -> String) throws -> (items: [Item], next: String?) {
    var start = items.startIndex
    if let marker {
      guard let index = items.firstIndex(where: { id($0) == marker }) else {
        throw APIError.badRequest("marker: '\(marker)' is not in this listing")
      }
      start = index + 1
    }
    let end = min(start + limit, items.endIndex)
    let slice = Array(items[start..<end])
    return (slice, end < items.endIndex ? slice.last.map(id) : nil)
  }

  /// The OpenStack-style `<collection>_links` value for the next page, or nil on the last page.
  func links(path: String, next: String?) -> [[String: String]]? {
    guard let next else { return nil }
    let marker = next.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"]))
    return [["rel": "next", "href": "\(path)?limit=\(limit)&marker=\(marker ?? next)"]]
  }
}
