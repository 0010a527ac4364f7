import SCSStandards

extension ObservedImage {
  /// The image as the scs-0102 rules see it.
  public var metadataRecord: ImageMetadataRecord {
    ImageMetadataRecord(
      name: name, visibility: visibility, isHidden: hidden, createdAt: createdAt ?? "", size: size ?? 0,
      minDisk: minDisk, minRAM: minRAM, hashAlgorithm: hashAlgorithm,
      properties: properties)
  }
}
