// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Steward",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "steward", targets: ["steward"]),
    .library(name: "OpenStack", targets: ["OpenStack"]),
    .library(name: "StewardCore", targets: ["StewardCore"]),
    .library(name: "Onboarding", targets: ["Onboarding"]),
    .library(name: "Images", targets: ["Images"]),
    .library(name: "SCSStandards", targets: ["SCSStandards"]),
    .library(name: "Flavors", targets: ["Flavors"]),
    .library(name: "AMQP", targets: ["AMQP"]),
    .library(name: "Metering", targets: ["Metering"]),
  ],
  dependencies: [
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
  ],
  targets: [
    // All HTTP to OpenStack: config, auth, catalog, retries, typed resources.
    .target(
      name: "OpenStack",
      dependencies: [
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOFoundationCompat", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    // Plan/apply and output rendering shared by every capability.
    .target(
      name: "StewardCore",
      dependencies: [
        .product(name: "Yams", package: "Yams")
      ]
    ),
    // Tenant onboarding and offboarding: domain, user, project, roles, network, credentials, proof.
    .target(
      name: "Onboarding",
      dependencies: ["OpenStack", "StewardCore", .product(name: "Yams", package: "Yams")]
    ),
    // Glance images: project-to-project sharing (and, next, the image manager).
    .target(name: "Images", dependencies: ["OpenStack", "StewardCore", .product(name: "Yams", package: "Yams")]),
    // Sovereign Cloud Stack standards as pure code: flavor naming (scs-0100) and standard flavors (scs-0103).
    .target(name: "SCSStandards"),
    // Flavor definitions, sync (plan/apply against Nova) and the SCS flavor checks on a live cloud.
    .target(
      name: "Flavors",
      dependencies: [
        "OpenStack",
        "StewardCore",
        "SCSStandards",
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    // AMQP 0-9-1 client on swift-nio (RabbitMQ, oslo.messaging notifications): codec, connection, consumer.
    .target(
      name: "AMQP",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // Metering: notifications and API listings into a view and an append-only usage ledger behind MeteringStore.
    // The notification consumer (AMQP) and the resync's listings (OpenStack) plug into the pure engine.
    .target(name: "Metering", dependencies: ["AMQP", "OpenStack"]),
    .executableTarget(
      name: "steward",
      dependencies: [
        "OpenStack",
        "StewardCore",
        "Onboarding",
        "Images",
        "SCSStandards",
        "Flavors",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(name: "OpenStackTests", dependencies: ["OpenStack"], resources: [.copy("Fixtures")]),
    .testTarget(name: "StewardCoreTests", dependencies: ["StewardCore"]),
    .testTarget(name: "OnboardingTests", dependencies: ["Onboarding"]),
    .testTarget(name: "ImagesTests", dependencies: ["Images"], resources: [.copy("Fixtures")]),
    .testTarget(
      name: "SCSStandardsTests", dependencies: ["SCSStandards"], resources: [.copy("FlavorNaming/Fixtures")]),
    .testTarget(
      name: "FlavorsTests", dependencies: ["Flavors", "SCSStandards", "OpenStack", "StewardCore"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "AMQPTests",
      dependencies: [
        "AMQP", .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ],
      resources: [.copy("Fixtures")]),
    .testTarget(name: "MeteringTests", dependencies: ["Metering", "AMQP"], resources: [.copy("Fixtures")]),
    .testTarget(
      name: "IntegrationTests",
      dependencies: ["OpenStack", "StewardCore", "Onboarding", "Images", "SCSStandards", "Flavors", "AMQP", "Metering"]
    ),
  ]
)
