import AMQP
import Billing
import Foundation
import Metering
import OpenStack
import Storage
import Testing

/// Images end to end on the REAL cloud: an image of a known size uploaded into a fresh project, followed by the
/// consumer from Glance's notifications into a SQLite ledger, deleted, and invoiced. The interval must carry
/// the bytes and the times of the `image.upload` and `image.delete` notifications (read from a witness queue
/// bound beside Steward's), and the invoice line must equal, to the cent, the amount computed here with
/// Foundation's Decimal. A period finalized before the delete billed the image to its end: the next invoice
/// credits the difference. A resync then finds a hidden image the notifications never told the consumer about.
///
/// The price is per second so a test that lasts seconds has cents to check: 262,800,000 per GiB-month of
/// 730 h is 100.00 per GiB-second; 5 MiB (exactly 0.0048828125 GiB) cost 0.48828125 per second.
@Suite("Images are metered from Glance and billed per GiB-month", .testCloud)
struct ImageBillingIntegrationTests {
  static let size = 5 * 1_048_576
  static let prices = """
    name: per-second-images
    currency: EUR
    effective_from: 2020-01-01
    rounding: {scale: 2, mode: half-even}
    hours_per_month: 730
    image:
      gib_month: "262800000"
    """

  /// `seconds × GiB × 100` with Foundation.Decimal, rounded half-even to cents.
  static func handAmount(_ rows: [UsageInterval]) -> Decimal {
    var exact = Decimal(0)
    for row in rows {
      let micros = SQLValue.microseconds(row.end!) - SQLValue.microseconds(row.start)
      let gib = Decimal(row.spec.sizeBytes!) / Decimal(1_073_741_824)
      exact += Decimal(micros) / Decimal(1_000_000) * gib * Decimal(100)
    }
    var rounded = Decimal()
    NSDecimalRound(&rounded, &exact, 2, .bankers)
    return rounded
  }

  /// The timestamp of the first witnessed `eventType` notification about `imageID`.
  static func timestamp(_ bodies: [[UInt8]], _ eventType: String, _ imageID: String) -> Date? {
    bodies.lazy.compactMap { try? OpenStackNotification.parse($0) }
      .first { $0.eventType == eventType && $0.event.resources.contains { $0.id == imageID } }?.timestamp
  }

  @Test func anUploadedImageIsMeteredAndInvoicedToTheCent() async throws {
    // Whole seconds: a finalized invoice's period is stored to the microsecond, and the "test" period below must
    // start exactly where "late-a" does (an earlier start would make the draft carry late-a's adjustment).
    let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    let queue = TestCloud.name("image-follow")
    let witness = TestCloud.name("image-witness")
    let path = MeteringTestSupport.temporaryDatabase("steward-images")
    defer { MeteringTestSupport.removeDatabase(path) }
    let database = try await DatabaseOpener.open(path)
    let store = try await SQLMeteringStore.open(database)
    try await MeteringTestSupport.declareWitness(witness, exchanges: ["glance"])
    let run = try await MeteringTestSupport.followNotifications(queue: queue, into: store)
    defer { run.cancel() }

    let service = try await Self.service(database, store)
    let (projectID, imageID, missedID, bodies, closed) = try await MeteringTestSupport.withProject("imgbill") {
      projectID, session in
      let images = try await session.image().images
      let image = try await images.create(ImageCreate(name: TestCloud.name("billedimage")))
      var missed: String?
      do {
        #expect(image.owner == projectID, "an image belongs to the project it was created in")
        try await images.upload(image.id, bytes: Data(repeating: 42, count: Self.size))
        try await images.waitFor(image.id)
        let key = ResourceKey(.image, image.id)
        _ = try await MeteringFollowTests.follow(store, key, "active") { rows, _ in
          rows.last?.state == "active" && rows.last?.spec.sizeBytes == Int64(Self.size)
        }
        // A period closed before the delete, as if at its end ten minutes from now: the image billed to the
        // end. Glance's image.delete, arriving after, changes that period's ledger.
        let closing = BillingPeriod(
          id: "late-a", start: start.addingTimeInterval(-60),
          end: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 600).rounded(.down)))
        let closed = try await service.store.finalize(
          try await service.draft(projectID: projectID, period: closing, now: closing.end), at: Date())
        try await Task.sleep(for: .seconds(3))
        try await images.delete(image.id)
        _ = try await MeteringFollowTests.follow(store, key, "deleted") { rows, view in
          view?.deletedAt != nil && !rows.isEmpty && rows.allSatisfy { $0.end != nil }
        }
        // The consumer stops; an image made now (hidden from the default listing) is one the notifications
        // never reach it.
        run.cancel()
        _ = try? await run.value
        let hidden = try await images.create(ImageCreate(name: TestCloud.name("missedimage"), hidden: true))
        missed = hidden.id
        try await images.upload(hidden.id, bytes: Data(repeating: 1, count: 4096))
        try await images.waitFor(hidden.id)
        return (projectID, image.id, hidden.id, try await MeteringTestSupport.drain(witness), closed)
      } catch {
        try? await images.deleteIfPresent(image.id)
        if let missed { try? await images.deleteIfPresent(missed) }
        await MeteringTestSupport.deleteQueues([queue, witness])
        throw error
      }
    }
    await MeteringTestSupport.deleteQueues([queue, witness])

    // The hidden image is removed whatever fails below (the resync deletes it when all goes well).
    do {
      try await checkLedgerAndInvoice(
        store, service, imageID: imageID, projectID: projectID, bodies: bodies, since: start)
      try await theDeleteIsCreditedOnTheNextInvoice(store, service, closed, imageID: imageID)
      // The resync: the hidden image the consumer missed is listed (os_hidden included) and opened; once it
      // is deleted, the next resync closes it.
      try await resyncFindsTheMissedImage(store, missedID: missedID, deletedID: imageID, projectID: projectID)
    } catch {
      try? await TestCloud.with("steward-admin") { try await $0.image().images.deleteIfPresent(missedID) }
      await database.close()
      throw error
    }
    await database.close()
  }

  static func service(_ database: any Database, _ store: SQLMeteringStore) async throws -> BillingService {
    let pricesPath = NSTemporaryDirectory() + "steward-image-prices-\(UUID().uuidString.prefix(8)).yaml"
    defer { try? FileManager.default.removeItem(atPath: pricesPath) }
    try Data(Self.prices.utf8).write(to: URL(fileURLWithPath: pricesPath))
    return BillingService(
      store: try await BillingStore.open(database), metering: store,
      schedule: try PriceListLoader.schedule(files: [pricesPath]))
  }

  /// The period finalized before the delete billed the image to its end; re-rated from today's ledger it stops
  /// at image.delete. The finalized invoice is unchanged and the next period's invoice credits the difference.
  func theDeleteIsCreditedOnTheNextInvoice(
    _ store: SQLMeteringStore, _ service: BillingService, _ closed: FinalizedInvoice, imageID: String
  ) async throws {
    let closing = closed.invoice.period
    let projectID = closed.invoice.projectID
    let billed = try #require(closed.invoice.lines.first { $0.resourceID == imageID }, "\(closed.invoice.lines)")
    let rows = try await store.read { try await $0.history(of: ResourceKey(.image, imageID)).rows }
    let used = Self.handAmount(rows.filter { $0.state == "active" })
    let next = BillingPeriod(id: "late-b", start: closing.end, end: closing.end + 3600)
    let invoice = try await service.draft(projectID: projectID, period: next, now: next.end)
    #expect(invoice.ownLines.isEmpty, "nothing of the deleted image is billed in the next period")
    let credit = try #require(invoice.adjustmentLines.first, "\(invoice.lines)")
    #expect(invoice.adjustmentLines.count == 1 && credit.adjusts == "late-a" && credit.resourceID == imageID)
    #expect(credit.description == "adjustment for late-a: image 0.005 GiB")
    #expect(Decimal(string: credit.amount.description)! == used - Decimal(string: billed.amount.description)!)
    #expect(credit.amount.isNegative && invoice.total == credit.amount)
    let stored = try await service.store.invoice(projectID: projectID, period: "late-a")
    #expect(stored?.content == closed.content, "the finalized invoice never changes")
  }

  func checkLedgerAndInvoice(
    _ store: SQLMeteringStore, _ service: BillingService, imageID: String, projectID: String, bodies: [[UInt8]],
    since start: Date
  ) async throws {
    // The ledger: the bytes from image.upload's timestamp to image.delete's, owned by the project.
    let rows = try await store.read { try await $0.history(of: ResourceKey(.image, imageID)).rows }
    let stored = rows.filter { $0.state == "active" }
    try #require(stored.count == 1, "\(MeteringFollowTests.describe(rows))")
    let uploadedAt = try #require(Self.timestamp(bodies, "image.upload", imageID), "image.upload witnessed")
    let deletedAt = try #require(Self.timestamp(bodies, "image.delete", imageID), "image.delete witnessed")
    #expect(stored[0].spec.sizeBytes == Int64(Self.size) && stored[0].projectID == projectID)
    let micros = SQLValue.microseconds
    #expect(micros(stored[0].start) == micros(uploadedAt), "opened at image.upload")
    #expect(stored[0].end.map(micros) == micros(deletedAt), "closed at image.delete")
    #expect(rows.first?.state == "queued" && rows.allSatisfy { $0.projectID == projectID })

    // The invoice: one image line, hand-computed to the cent, and the project's total is it (the period
    // finalized meanwhile starts at the same time, so it carries no adjustment here).
    let now = Date()
    let period = BillingPeriod(id: "test", start: start.addingTimeInterval(-60), end: now.addingTimeInterval(60))
    let invoice = try await service.draft(projectID: projectID, period: period, now: now)
    let line = try #require(invoice.lines.first { $0.resourceID == imageID }, "\(invoice.lines)")
    let expected = Self.handAmount(stored)
    #expect(Decimal(string: line.amount.description)! == expected, "\(line.quantity) GiB-months = \(line.amount)")
    #expect(line.resourceKind == "image" && line.unit == "GiB-month" && line.unitPrice.description == "262800000")
    #expect(line.description == "image 0.005 GiB" && line.resourceName != nil)
    #expect(expected > 1, "three seconds of 5 MiB cost more than a euro at this price")
    #expect(invoice.lines.count == 1 && invoice.total == line.amount, "\(invoice.lines)")
    let again = try await service.draft(projectID: projectID, period: period, now: now)
    #expect(again.canonicalJSON() == invoice.canonicalJSON())
  }

  func resyncFindsTheMissedImage(
    _ store: SQLMeteringStore, missedID: String, deletedID imageID: String, projectID: String
  )
    async throws
  {
    try await TestCloud.with("steward-admin") { admin in
      // Pages of two: both listings (visible and os_hidden) are followed page by page.
      let observer = CloudObserver(session: admin, pageSize: 2, membership: false)
      let first = await observer.observe()
      #expect(first.failures[.image] == nil && first.observation.listedKinds.contains(.image))
      let listed = first.observation.resources.keys.filter { $0.kind == .image }.count
      #expect((first.calls[.image] ?? 0) * 2 >= listed + 2, "\(first.calls[.image] ?? 0) calls for \(listed) images")
      let plan = try await store.resync(first.observation, runID: "images-1")
      let missedKey = ResourceKey(.image, missedID)
      #expect(plan.repairs.contains { $0.kind == .unseen && $0.key == missedKey })
      #expect(!plan.repairs.contains { $0.key.id == imageID }, "the deleted image is no drift")
      let opened = try await store.read { try await $0.history(of: missedKey).rows }
      #expect(opened.count == 1 && opened.first?.state == "active" && opened.first?.spec.sizeBytes == 4096)
      #expect(opened.first?.projectID == projectID && opened.first?.end == nil)

      try await admin.image().images.delete(missedID)
      let second = await observer.observe()
      _ = try await store.resync(second.observation, runID: "images-2")
      let closed = try await store.read { try await $0.history(of: missedKey).rows }
      #expect(closed.last?.end == second.observation.observedAt)
    }
  }
}
