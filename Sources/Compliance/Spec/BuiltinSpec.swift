// The SCS-compatible IaaS spec as published in SovereignCloudStack/standards (Tests/scs-compatible-iaas.yaml),
// built in so `steward compliance check` works offline; `--spec FILE` reads a newer one.
// Regenerate by pasting the file between the delimiters; the tests load it and check its versions.

/// The built-in copy of `scs-compatible-iaas.yaml`.
public enum BuiltinSpec {
  public static let fileName = "scs-compatible-iaas.yaml (built-in)"

  public static func load() throws -> ComplianceSpec {
    try SpecLoader().load(text: text, file: fileName)
  }

  public static let text = #"""
    # -- informal edit log --
    # whenever old content is removed as per scs-0003-v1, add a line of the form
    # - YYYY-MM-DD pruned old content; affected versions: vN, ...
    # - 2025-05-22 pruned old content; affected versions: v1, v2, v3-orig, v5
    name: SCS-compatible IaaS
    uuid: 50393e6f-2ae1-4c5c-a62c-3b75f2abef3f
    url: https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/scs-compatible-iaas.yaml
    variables:
      - os_cloud
    scripts:
    - executable: ./iaas/openstack_test.py
      args: -c {os_cloud} {testcases}
      testcases:
      - id: scs-0100-syntax-check
        description: Flavor names starting `SCS-` comply with syntax.
        url: https://docs.scs.community/standards/scs-0100-w1-flavor-naming-implementation-testing#automated-tests
      - id: scs-0100-semantics-check
        description: Syntactically correct SCS flavor names represent the truth.
        url: https://docs.scs.community/standards/scs-0100-w1-flavor-naming-implementation-testing#automated-tests
      - id: scs-0101-flavor-property
        description: Ensures that each flavor has the extra spec `hw_rng:allowed=True`.
        url: https://docs.scs.community/standards/scs-0101-w1-entropy-implementation-testing#automated-tests
      - id: scs-0101-image-property
        description: Ensures that each public image has the property `hw_rng_model:virtio`.
        url: https://docs.scs.community/standards/scs-0101-w1-entropy-implementation-testing#automated-tests
      - id: scs-0101-rngd
        description: Ensures that the service `rngd` is present on a sample VM.
        url: https://docs.scs.community/standards/scs-0101-w1-entropy-implementation-testing#automated-tests
      - id: scs-0101-entropy-avail
        description: Ensures that `entropy_avail` is 256 on a sample VM.
        url: https://docs.scs.community/standards/scs-0101-w1-entropy-implementation-testing#automated-tests
      - id: scs-0101-fips-test
        description: Ensures that the "FIPS test" is passed on a sample VM.
        url: https://docs.scs.community/standards/scs-0101-w1-entropy-implementation-testing#automated-tests
      - id: scs-0102-prop-architecture
        description: Each image has a meaningful value for `architecture`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-hash_algo
        description: Each image has a meaningful value for `hash_algo`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-min_disk
        description: Each image has a meaningful value for `min_disk`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-min_ram
        description: Each image has a meaningful value for `min_ram`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-os_version
        description: Each image has a meaningful value for `os_version`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-os_distro
        description: Each image has a meaningful value for `os_distro`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-os_purpose
        description: Each image has a meaningful value for `os_purpose`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-hw_disk_bus
        description: Each image has a meaningful value for `hw_disk_bus`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-hypervisor_type
        description: Each image has a meaningful value for `hypervisor_type`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-hw_rng_model
        description: Each image has a meaningful value for `hw_rng_model`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-image_build_date
        description: Each image has a meaningful value for `image_build_date`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-image_original_user
        description: Each image has a meaningful value for `image_original_user`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-image_source
        description: Each image has a meaningful value for `image_source`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-image_description
        description: Each image has a meaningful value for `image_description`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-replace_frequency
        description: Each image has a meaningful value for `replace_frequency`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-provided_until
        description: Each image has a meaningful value for `provided_until`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-uuid_validity
        description: Each image has a meaningful value for `uuid_validity`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-prop-hotfix_hours
        description: Each image has a meaningful value for `hotfix_hours`.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-image-recency
        description: Each image is as recent as properties (if set) suggest.
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0102-os_purpose-uniqueness
        description: Generic OS images are uniquely identified via triple (architecture, os\_distro, os\_version).
        url: https://docs.scs.community/standards/scs-0102-w1-image-metadata-implementation-testing#automated-tests
      - id: scs-0103-flavor-1v-4
        description: Check presence of flavor `SCS-1V-4`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-2v-8
        description: Check presence of flavor `SCS-2V-8`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-4v-16
        description: Check presence of flavor `SCS-4V-16`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-8v-32
        description: Check presence of flavor `SCS-8V-32`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-1v-2
        description: Check presence of flavor `SCS-1V-2`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-2v-4
        description: Check presence of flavor `SCS-2V-4`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-4v-8
        description: Check presence of flavor `SCS-4V-8`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-8v-16
        description: Check presence of flavor `SCS-8V-16`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-16v-32
        description: Check presence of flavor `SCS-16V-32`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-1v-8
        description: Check presence of flavor `SCS-1V-8`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-2v-16
        description: Check presence of flavor `SCS-2V-16`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-4v-32
        description: Check presence of flavor `SCS-4V-32`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-1l-1
        description: Check presence of flavor `SCS-1L-1`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-2v-4-20s
        description: Check presence of flavor `SCS-2V-4-20s`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-4v-16-100s
        description: Check presence of flavor `SCS-4V-16-100s`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-1v-4-10
        description: Check presence of flavor `SCS-1V-4-10`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-2v-8-20
        description: Check presence of flavor `SCS-2V-8-20`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-4v-16-50
        description: Check presence of flavor `SCS-4V-16-50`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-8v-32-100
        description: Check presence of flavor `SCS-8V-32-100`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-1v-2-5
        description: Check presence of flavor `SCS-1V-2-5`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-2v-4-10
        description: Check presence of flavor `SCS-2V-4-10`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-4v-8-20
        description: Check presence of flavor `SCS-4V-8-20`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-8v-16-50
        description: Check presence of flavor `SCS-8V-16-50`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-16v-32-100
        description: Check presence of flavor `SCS-16V-32-100`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-1v-8-20
        description: Check presence of flavor `SCS-1V-8-20`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-2v-16-50
        description: Check presence of flavor `SCS-2V-16-50`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-4v-32-100
        description: Check presence of flavor `SCS-4V-32-100`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-1l-1-5
        description: Check presence of flavor `SCS-1L-1-5`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-16v-64
        description: Check presence of flavor `SCS-16V-64`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-8v-64
        description: Check presence of flavor `SCS-8V-64`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0103-flavor-16v-128
        description: Check presence of flavor `SCS-16V-128`.
        url: https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation#automated-tests
      - id: scs-0104-source-capi-1
        description: CAPI images adhere to canonical image source.
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-source-capi-2
        description: CAPI images adhere to canonical image source.
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-source-ubuntu-2404
        description: Ubuntu 24.04 images adhere to canonical image source.
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-source-ubuntu-2204
        description: Ubuntu 22.04 images adhere to canonical image source.
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-source-ubuntu-2004
        description: Ubuntu 20.04 images adhere to canonical image source.
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-source-debian-13
        description: Debian 13 images adhere to canonical image source.
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-source-debian-12
        description: Debian 12 images adhere to canonical image source.
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-source-debian-11
        description: Debian 11 images adhere to canonical image source.
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-image-capi-2
        description: CAPI image is present (naming scheme v2).
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-image-capi-1
        description: CAPI image is present (naming scheme v1).
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-image-ubuntu-2404
        description: Ubuntu 24.04 image is present (by name).
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-image-ubuntu-2204
        description: Ubuntu 22.04 image is present (by name).
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-image-debian-13
        description: Debian 13 image is present (by name).
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0104-image-debian-12
        description: Debian 12 image is present (by name).
        url: https://docs.scs.community/standards/scs-0104-w1-standard-images-implementation#automated-tests
      - id: scs-0114-syntax-check
        description: Aspect list in volume type description, if present, is formatted according to the standard.
        url: https://docs.scs.community/standards/scs-0114-w1-volume-type-implementation#automated-tests
      - id: scs-0114-encrypted-type
        description: An encrypted volume type can be discovered.
        url: https://docs.scs.community/standards/scs-0114-w1-volume-type-implementation#automated-tests
      - id: scs-0114-replicated-type
        description: A replicated volume type can be discovered.
        url: https://docs.scs.community/standards/scs-0114-w1-volume-type-implementation#automated-tests
      # do monolithic test for the default security groups because it's hard to decompose, and frankly, I don't
      # see the correspondence between the test script and the standards requirements and recommendations
      # (the latter probably simply aren't checked?)
      - id: scs-0115-default-rules
        description: Ensures that default security rules follow scs-0115-v1 requirements.
        url: https://docs.scs.community/standards/scs-0115-w1-security-groups-implementation#automated-tests
      - id: scs-0116-presence
        description: Key manager service is discoverable.
        url: https://docs.scs.community/standards/scs-0116-w1-key-manager-implementation-testing#automated-tests
      - id: scs-0116-permissions
        description: Key manager (if present) is usable with member role.
        url: https://docs.scs.community/standards/scs-0116-w1-key-manager-implementation-testing#automated-tests
      - id: scs-0117-test-backup
        description: Check that volume backup works.
        url: https://docs.scs.community/standards/scs-0117-w1-volume-backup-service-implementation#automated-tests
      - id: scs-0123-service-compute
        description: Compute service is discoverable.
        url: https://docs.scs.community/standards/scs-0123-w1-mandatory-and-supported-IaaS-services-implementation#automated-tests
      - id: scs-0123-service-identity
        description: Identity service is discoverable.
        url: https://docs.scs.community/standards/scs-0123-w1-mandatory-and-supported-IaaS-services-implementation#automated-tests
      - id: scs-0123-service-image
        description: Image service is discoverable.
        url: https://docs.scs.community/standards/scs-0123-w1-mandatory-and-supported-IaaS-services-implementation#automated-tests
      - id: scs-0123-service-network
        description: Network service is discoverable.
        url: https://docs.scs.community/standards/scs-0123-w1-mandatory-and-supported-IaaS-services-implementation#automated-tests
      - id: scs-0123-service-load-balancer
        description: Load-balancer service is discoverable.
        url: https://docs.scs.community/standards/scs-0123-w1-mandatory-and-supported-IaaS-services-implementation#automated-tests
      - id: scs-0123-service-placement
        description: Placement service is discoverable.
        url: https://docs.scs.community/standards/scs-0123-w1-mandatory-and-supported-IaaS-services-implementation#automated-tests
      - id: scs-0123-storage-apis
        description: The block-storage API is discoverable as `volume`, `volumev3`, or `block-storage`.
        url: https://docs.scs.community/standards/scs-0123-w1-mandatory-and-supported-IaaS-services-implementation#automated-tests
      - id: scs-0123-service-s3
        description: s3 service is discoverable.
        url: https://docs.scs.community/standards/scs-0123-w1-mandatory-and-supported-IaaS-services-implementation#automated-tests
      - id: scs-0123-swift-s3
        description: The object-storage API is compatible with S3.
        url: https://docs.scs.community/standards/scs-0123-w1-mandatory-and-supported-IaaS-services-implementation#automated-tests
    - testcases:
      - id: key-manager-docs-check
        description: >-
          Manual check: Must fulfill documentation requirements of scs-0116-v1.
        url: https://docs.scs.community/standards/scs-0116-w1-key-manager-implementation-testing#manual-tests
      - id: availability-zones-check
        description: >-
          Manual check: Must fulfill documentation requirements of scs-0121-v1.
        url: https://docs.scs.community/standards/scs-0121-w1-Availability-Zones-Standard#required-documentation
      - id: domain-manager-check
        description: >-
          Manual check: Must fulfill all requirements of scs-0302-v1.
        url: https://docs.scs.community/standards/scs-0302-v1-domain-manager-role#conformance-tests
    modules:
      - id: opc-v2022.11
        name: >-
          scs-0128-v1: SCS end-to-end testing (formerly OpenStack-powered Compute)
        url: https://docs.scs.community/standards/scs-0128-v1-e2e-testing
      - id: scs-0100-v3.1
        name: Flavor naming v3.1
        url: https://docs.scs.community/standards/scs-0100-v3-flavor-naming
        targets:
          main:
          - scs-0100-syntax-check
          - scs-0100-semantics-check
      - id: scs-0101-v1
        # leap from v1 to v1.1 in place because it's a very minor relaxation; all essential testcases are kept
        name: Entropy v1.1
        url: https://docs.scs.community/standards/scs-0101-v1-entropy
        targets:
          main:
          - scs-0101-entropy-avail
          - scs-0101-fips-test
      - id: scs-0102-v1
        name: Image metadata v1
        url: https://docs.scs.community/standards/scs-0102-v1-image-metadata
        targets:
          main:
          - scs-0102-prop-architecture
          - scs-0102-prop-min_disk
          - scs-0102-prop-min_ram
          - scs-0102-prop-os_version
          - scs-0102-prop-os_distro
          - scs-0102-prop-hw_disk_bus
          - scs-0102-prop-image_build_date
          - scs-0102-prop-image_original_user
          - scs-0102-prop-image_source
          - scs-0102-prop-image_description
          - scs-0102-prop-replace_frequency
          - scs-0102-prop-provided_until
          - scs-0102-prop-uuid_validity
          - scs-0102-image-recency
      - id: scs-0102-v1-rec
        name: Image metadata v1
        url: https://docs.scs.community/standards/scs-0102-v1-image-metadata
        targets:
          recommended:
          - scs-0102-prop-hash_algo
          - scs-0102-prop-os_purpose
          - scs-0102-os_purpose-uniqueness
          - scs-0102-prop-hypervisor_type
          - scs-0102-prop-hw_rng_model
          - scs-0102-prop-hotfix_hours
      - id: scs-0102-v2
        name: Image metadata v2
        url: https://docs.scs.community/standards/scs-0102-v2-image-metadata
        targets:
          main:
          - scs-0102-prop-architecture
          - scs-0102-prop-min_disk
          - scs-0102-prop-min_ram
          - scs-0102-prop-os_version
          - scs-0102-prop-os_distro
          - scs-0102-prop-os_purpose
          - scs-0102-prop-hw_disk_bus
          - scs-0102-prop-image_build_date
          - scs-0102-prop-image_original_user
          - scs-0102-prop-image_source
          - scs-0102-prop-image_description
          - scs-0102-prop-replace_frequency
          - scs-0102-prop-provided_until
          - scs-0102-prop-uuid_validity
          - scs-0102-image-recency
          - scs-0102-os_purpose-uniqueness
      - id: scs-0102-v2-rec
        name: Image metadata v2
        url: https://docs.scs.community/standards/scs-0102-v2-image-metadata
        targets:
          recommended:
          - scs-0102-prop-hash_algo
          - scs-0102-prop-hypervisor_type
          - scs-0102-prop-hw_rng_model
          - scs-0102-prop-hotfix_hours
      - id: scs-0103-v1
        name: Standard flavors
        url: https://docs.scs.community/standards/scs-0103-v1-standard-flavors
        targets:
          main:
          - scs-0103-flavor-1v-4
          - scs-0103-flavor-2v-8
          - scs-0103-flavor-4v-16
          - scs-0103-flavor-8v-32
          - scs-0103-flavor-1v-2
          - scs-0103-flavor-2v-4
          - scs-0103-flavor-4v-8
          - scs-0103-flavor-8v-16
          - scs-0103-flavor-16v-32
          - scs-0103-flavor-1v-8
          - scs-0103-flavor-2v-16
          - scs-0103-flavor-4v-32
          - scs-0103-flavor-1l-1
          - scs-0103-flavor-2v-4-20s
          - scs-0103-flavor-4v-16-100s
      - id: scs-0103-v1-rec
        name: Standard flavors
        url: https://docs.scs.community/standards/scs-0103-v1-standard-flavors
        targets:
          recommended:
          - scs-0103-flavor-1v-4-10
          - scs-0103-flavor-2v-8-20
          - scs-0103-flavor-4v-16-50
          - scs-0103-flavor-8v-32-100
          - scs-0103-flavor-1v-2-5
          - scs-0103-flavor-2v-4-10
          - scs-0103-flavor-4v-8-20
          - scs-0103-flavor-8v-16-50
          - scs-0103-flavor-16v-32-100
          - scs-0103-flavor-1v-8-20
          - scs-0103-flavor-2v-16-50
          - scs-0103-flavor-4v-32-100
          - scs-0103-flavor-1l-1-5
          - scs-0103-flavor-16v-64
          - scs-0103-flavor-8v-64
          - scs-0103-flavor-16v-128
      - id: scs-0104-v1-1
        name: Standard images
        url: https://docs.scs.community/standards/scs-0104-v1-standard-images
        parameters:
          image_spec: address (URL) of an image-spec (YAML) file
        targets:
          main:
          - scs-0104-source-capi-1
          - scs-0104-source-ubuntu-2204
          - scs-0104-source-ubuntu-2004
          - scs-0104-source-debian-12
          - scs-0104-source-debian-11
          - scs-0104-image-ubuntu-2204
      - id: scs-0104-v1-1-rec
        name: Standard images
        url: https://docs.scs.community/standards/scs-0104-v1-standard-images
        parameters:
          image_spec: address (URL) of an image-spec (YAML) file
        targets:
          recommended:
          - scs-0104-image-capi-1
      - id: scs-0104-v1-2
        name: Standard images
        url: https://docs.scs.community/standards/scs-0104-v1-standard-images
        parameters:
          image_spec: address (URL) of an image-spec (YAML) file
        targets:
          main:
          - scs-0104-source-capi-1
          - scs-0104-source-capi-2
          - scs-0104-source-ubuntu-2404
          - scs-0104-source-ubuntu-2204
          - scs-0104-source-ubuntu-2004
          - scs-0104-source-debian-13
          - scs-0104-source-debian-12
          - scs-0104-source-debian-11
          - scs-0104-image-ubuntu-2404
      - id: scs-0104-v1-2-rec
        name: Standard images
        url: https://docs.scs.community/standards/scs-0104-v1-standard-images
        parameters:
          image_spec: address (URL) of an image-spec (YAML) file
        targets:
          recommended:
          - scs-0104-image-capi-2
          - scs-0104-image-debian-12
      - id: scs-0114-v1
        name: Volume Types
        url: https://docs.scs.community/standards/scs-0114-v1-volume-type-standard
        targets:
          main:
          - scs-0114-syntax-check
      - id: scs-0114-v1-rec
        name: Volume Types
        url: https://docs.scs.community/standards/scs-0114-v1-volume-type-standard
        targets:
          recommended:
          - scs-0114-encrypted-type
          - scs-0114-replicated-type
      - id: scs-0115-v1
        name: Default rules for security groups
        url: https://docs.scs.community/standards/scs-0115-v1-default-rules-for-security-groups
        targets:
          main:
          - scs-0115-default-rules
      - id: scs-0116-v1
        name: Key manager
        url: https://docs.scs.community/standards/scs-0116-v1-key-manager-standard
        targets:
          main:
          - scs-0116-permissions
      - id: scs-0116-v1-rec
        name: Key manager
        url: https://docs.scs.community/standards/scs-0116-v1-key-manager-standard
        targets:
          recommended:
          - scs-0116-presence
      - id: scs-0116-v1-manual
        name: Key manager
        url: https://docs.scs.community/standards/scs-0116-v1-key-manager-standard
        targets:
          preview:
          - key-manager-docs-check
      - id: scs-0117-v1
        name: Volume backup
        url: https://docs.scs.community/standards/scs-0117-v1-volume-backup-service
        targets:
          main:
          - scs-0117-test-backup
      - id: scs-0121-v1
        name: Availability Zones
        url: https://docs.scs.community/standards/scs-0121-v1-Availability-Zones-Standard
        targets: {}
      - id: scs-0121-v1-manual
        name: Availability Zones
        url: https://docs.scs.community/standards/scs-0121-v1-Availability-Zones-Standard
        targets:
          preview:
          - availability-zones-check
      - id: scs-0123-v1
        name: Mandatory and Supported IaaS Services
        url: https://docs.scs.community/standards/scs-0123-v1-mandatory-and-supported-IaaS-services
        targets:
          main:
          - scs-0123-service-compute
          - scs-0123-service-identity
          - scs-0123-service-image
          - scs-0123-service-network
          - scs-0123-service-load-balancer
          - scs-0123-service-placement
          - scs-0123-storage-apis
          - scs-0123-swift-s3
      - id: scs-0123-v2
        name: Mandatory and Supported IaaS Services
        url: https://docs.scs.community/standards/scs-0123-v2-services
        targets:
          main:
          - scs-0123-service-compute
          - scs-0123-service-identity
          - scs-0123-service-image
          - scs-0123-service-network
          - scs-0123-service-load-balancer
          - scs-0123-storage-apis
          - scs-0123-service-s3
      - id: scs-0302-v1
        name: Domain Manager Role
        url: https://docs.scs.community/standards/scs-0302-v1-domain-manager-role
        targets: {}
      - id: scs-0302-v1-manual
        name: Domain Manager Role
        url: https://docs.scs.community/standards/scs-0302-v1-domain-manager-role
        targets:
          preview:
          - domain-manager-check
    timeline:
      - date: 2026-06-11
        versions:
          next: draft
          v5.1: effective
      - date: 2025-09-09
        versions:
          next: draft
          v5.1: effective
          v4: deprecated
          v3: deprecated
      - date: 2025-07-01
        versions:
          v5.1: effective
          v4: deprecated
          v3: deprecated
      - date: 2025-02-01
        versions:
          v5.1: effective
          v4: warn
          v3: deprecated
      - date: 2024-12-19
        versions:
          v5.1: effective
          v4: effective
          v3: deprecated
    versions:
      - version: next
        include:
          - opc-v2022.11
          - scs-0100-v3.1
          - scs-0101-v1
          - scs-0102-v2  # instead of scs-0102-v1
          - scs-0103-v1
          - ref: scs-0104-v1-2
            parameters:
              image_spec: https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/iaas/scs-0104-v1-images-v5.yaml
          - scs-0114-v1
          - scs-0115-v1
          - scs-0116-v1
          - scs-0117-v1
          - scs-0121-v1
          - scs-0123-v2
          - scs-0302-v1
      - version: v5.1  # copy of v5, but with include "scs-0123-v1", which had simply been forgotten
        stabilized_at: 2024-12-19
        include:
          - opc-v2022.11
          - scs-0100-v3.1
          - scs-0101-v1
          - scs-0102-v1
          - scs-0103-v1
          - ref: scs-0104-v1-2
            parameters:
              image_spec: https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/iaas/scs-0104-v1-images-v5.yaml
          - scs-0114-v1
          - scs-0115-v1
          - scs-0116-v1
          - scs-0117-v1
          - scs-0121-v1
          - scs-0123-v1
          - scs-0302-v1
      - version: v4
        stabilized_at: 2024-02-28
        include:
          - opc-v2022.11
          - scs-0100-v3.1
          - scs-0101-v1
          - scs-0102-v1
          - scs-0103-v1
          - ref: scs-0104-v1-1
            parameters:
              image_spec: https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/iaas/scs-0104-v1-images.yaml
      - version: v3
        # comment: >
        #   This is what our documentation wrongly stated as being v3 when we introduced v4.
        #   What was originally v3 (and what we actually continued to test) can be found as v3-orig.
        stabilized_at: 2024-02-28
        include:
          - opc-v2022.11
          - scs-0100-v3.1
          - scs-0102-v1
    """#
}
