import Foundation
import Hummingbird
import HummingbirdTesting
import StewardServer
import Testing

@testable import MeteringService

@Suite("limit/marker paging of /v1 listings")
struct PaginationTests {
  typealias F = MeteringServiceFixture

  @Test func pagesFollowTheMarkerToTheEnd() throws {
    let ids = (1...5).map { "p\($0)" }
    let pagination = Pagination(limit: 2)
    var pages: [[String]] = []
    var marker: String?
    repeat {
      let page = try Pagination(limit: pagination.limit, marker: marker).page(ids, id: { $0 })
      pages.append(page.items)
      marker = page.next
    } while marker != nil
    #expect(pages == [["p1", "p2"], ["p3", "p4"], ["p5"]])
    // An exact fit has no next page.
    #expect(try Pagination(limit: 5).page(ids, id: { $0 }).next == nil)
  }

  @Test func badLimitsAndUnknownMarkersAreRefusedNamingTheField() throws {
    #expect(try Pagination(["limit": "5000"]).limit == Pagination.maximumLimit)
    #expect(try Pagination([:]).limit == Pagination.maximumLimit)
    for bad in ["0", "-1", "ten"] {
      #expect { try Pagination(["limit": bad]) } throws: { "\($0)".contains("limit") }
    }
    #expect { try Pagination(marker: "nope").page(["a"], id: { $0 }) } throws: { "\($0)".contains("marker") }
  }

  @Test func projectListingLinksToTheNextPage() async throws {
    try await F.with { f in
      try await f.server.application.test(.router) { client in
        var next = "/v1/projects?limit=1"
        var ids: [String] = []
        for _ in 0..<5 {
          let (page, link) = try await client.execute(uri: next, method: .get, headers: F.headers("admin")) {
            response in
            #expect(response.status == .ok)
            let body = try F.json(response.body)
            let links = body["projects_links"] as? [[String: String]]
            return (
              (body["projects"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }, links?.first?["href"]
            )
          }
          #expect(page.count == 1)
          ids += page
          guard let link else { break }
          next = link
        }
        #expect(ids == [F.alpha, F.beta])
        try await client.execute(uri: "/v1/projects?marker=unknown", method: .get, headers: F.headers("admin")) {
          #expect($0.status == .badRequest)
        }
      }
    }
  }
}
