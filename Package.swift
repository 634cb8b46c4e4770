// swift-tools-version:6.0
import PackageDescription

/// Language settings shared by every Swift target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "WabaRouter",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wabarouter", targets: ["wabarouter"]),
        .executable(name: "infobip-sim", targets: ["infobip-sim"]),
    ],
    targets: [
        // C libraries from Debian, exposed through module maps only.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),

        // Layers. Each C library has exactly one Swift module that imports it.
        .target(name: "Logging", swiftSettings: swiftSettings),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", "Logging"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HTTPServer",
            dependencies: ["CMicroHTTPD", "Logging"],
            swiftSettings: swiftSettings
        ),
        .target(name: "Crypto", dependencies: ["CSodium"], swiftSettings: swiftSettings),
        .target(name: "Domain", swiftSettings: swiftSettings),
        .target(name: "Infobip", dependencies: ["Logging"], swiftSettings: swiftSettings),
        .target(
            name: "App",
            dependencies: ["Postgres", "HTTPServer", "Crypto", "Domain", "Infobip", "Logging"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "InfobipSimulator",
            dependencies: ["HTTPServer", "Logging"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "wabarouter", dependencies: ["App"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "infobip-sim",
            dependencies: ["InfobipSimulator"],
            swiftSettings: swiftSettings
        ),

        // Shared test support: database, simulator process and HTTP client helpers.
        .target(
            name: "TestSupport",
            dependencies: ["Postgres", "App", "Logging", "Crypto"],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "DomainTests", dependencies: ["Domain"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PostgresTests",
            dependencies: ["Postgres", "Logging"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["HTTPServer", "Logging"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "InfobipTests",
            dependencies: ["Infobip", "Logging"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "InfobipSimulatorTests",
            dependencies: ["InfobipSimulator", "HTTPServer", "Logging"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CryptoTests",
            dependencies: ["Crypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AppTests",
            dependencies: ["App", "TestSupport", "Postgres", "Logging"],
            swiftSettings: swiftSettings
        ),
    ]
)
