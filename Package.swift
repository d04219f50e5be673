// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CityNet",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "citynet", targets: ["citynet"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/CoreOffice/XMLCoder.git", from: "0.18.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    ],
    targets: [
        // Pure domain: regions, categories, dispatch, case workflow, calendars. Never imports Vapor or Fluent.
        .target(
            name: "CityDomain",
            dependencies: [.product(name: "SwiftCSV", package: "SwiftCSV")],
            resources: [.copy("Resources")]
        ),
        // Open311 GeoReport v2 wire types and encodings. Never imports Vapor or Fluent.
        .target(
            name: "Open311",
            dependencies: [.product(name: "XMLCoder", package: "XMLCoder")]
        ),
        // 12345 hotline text pipeline: normalisation, features, the trainable classifier, place names, duplicates.
        // Never imports Vapor or Fluent.
        .target(
            name: "Hotline",
            dependencies: ["CityDomain", .product(name: "SwiftCSV", package: "SwiftCSV")],
            exclude: ["Duplicates/MERGE-EVALUATION.md"],
            resources: [.copy("Resources")]
        ),
        // The app layer: storage, HTTP, auth, background loops, commands.
        .target(
            name: "App",
            dependencies: [
                "CityDomain",
                "Hotline",
                "Open311",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(name: "citynet", dependencies: ["App"]),
        .testTarget(name: "CityDomainTests", dependencies: ["CityDomain"]),
        .testTarget(name: "Open311Tests", dependencies: ["Open311"], exclude: ["Fixtures"]),
        .testTarget(name: "HotlineTests", dependencies: ["Hotline"], exclude: ["Data"]),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            exclude: ["Fixtures"]
        ),
    ]
)
