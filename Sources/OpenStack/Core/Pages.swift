import Foundation

/// How a service says there is another page.
public enum PaginationStyle: Sendable {
  /// No paging (Keystone lists everything at once).
  case none
  /// `"<collection>_links": [{"rel": "next", "href": …}]` (Nova, Neutron, Cinder).
  case links(String)
  /// A top-level `"next"` URL (Glance, Ironic).
  case nextField
}

/// The pages of a list call as an `AsyncSequence`, so callers never loop over markers by hand.
/// The query of a service's `next` link is re-applied to our own URL rather than following the link,
/// because services behind proxies often advertise an internal host or scheme.
public struct Pages<Item: Decodable & Sendable>: AsyncSequence, Sendable {
  public typealias Element = [Item]

  let client: ServiceClient
  let path: [String]
  let query: [URLQueryItem]
  let key: String
  let style: PaginationStyle

  public init(client: ServiceClient, path: [String], query: [URLQueryItem], key: String, style: PaginationStyle) {
    self.client = client
    self.path = path
    self.query = query
    self.key = key
    self.style = style
  }

  public struct AsyncIterator: AsyncIteratorProtocol {
    let pages: Pages
    var nextQuery: [URLQueryItem]?
    var seenMarkers: Set<String> = []

    public mutating func next() async throws -> [Item]? {
      guard let query = nextQuery else { return nil }
      let response = try await pages.client.send(.GET, pages.path, query: query)
      let items = try pages.client.decode([Item].self, from: response, key: pages.key)
      nextQuery = nil
      if let following = Pages.nextQuery(in: response.body, style: pages.style), !items.isEmpty {
        // A service that repeats the same marker would loop forever; stop instead.
        let marker = following.first { $0.name == "marker" }?.value ?? following.description
        if seenMarkers.insert(marker).inserted { nextQuery = following }
      }
      return items
    }
  }

  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(pages: self, nextQuery: query)
  }

  /// Every item of every page.
  public func collect() async throws -> [Item] {
    var all: [Item] = []
    for try await page in self { all += page }
    return all
  }

  static func nextQuery(in body: Data, style: PaginationStyle) -> [URLQueryItem]? {
    let href: String?
    switch style {
    case .none:
      return nil
    case .links(let key):
      guard let document = try? JSONDecoder().decode(JSONValue.self, from: body) else { return nil }
      href = document[key]?.arrayValue?.first { $0["rel"]?.stringValue == "next" }?["href"]?.stringValue
    case .nextField:
      guard let document = try? JSONDecoder().decode(JSONValue.self, from: body) else { return nil }
      href = document["next"]?.stringValue
    }
    guard let href, let components = URLComponents(string: href) else { return nil }
    return components.queryItems ?? []
  }
}
