import Foundation
import Images
import SCSStandards

/// scs-0102 image metadata: one testcase per official id, all decided by the pure rules `steward images check`
/// uses too, over the public and community images. The rules run once per check run; each testcase reports
/// its own offenders.
enum ImageMetadataTestcases {
  static var all: [Testcase] {
    ImageMetadataRules.checkAll([]).map(\.id).map { id in
      Testcase(id) { context, log in
        let results = try await context.shared("scs-0102-results") {
          let records = try await context.images.value().map { ObservedImage($0).metadataRecord }
          return ImageMetadataRules.checkAll(records)
        }.value()
        guard let result = results.first(where: { $0.id == id }) else {
          throw Undecidable("no scs-0102 rule decides \(id)")
        }
        for warning in result.warnings { log.warning(warning) }
        for error in result.errors { log.error(error) }
        return result.passed
      }
    }
  }
}
