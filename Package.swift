// swift-tools-version: 6.2
// TinyNN: fixed-size neural networks that learn by backpropagation, for
// microcontrollers. The core (TinyNN) is Embedded-Swift clean; everything
// that needs Foundation lives in TinyNNHost and the `tinynn` tool.
import PackageDescription

// MARK: - Host code generation
// Every target computes multiply-add fused (one rounding), so host and chip
// give the same bits. On x86-64 the host must name a CPU with FMA, or each
// fused lane becomes a call to libm's `fmaf` (same bits, much slower).
#if arch(x86_64)
let hostFMA: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let hostFMA: [SwiftSetting] = []
#endif

// MARK: - Kernel capability (see `Kernels` in Sources/TinyNN/Kernels/Kernels.swift)
// The host's CPUs hold `SIMD8<Float>` in vector registers; a board names its
// capabilities in its board.env's SWIFT_DEFINES instead.
#if arch(x86_64) || arch(arm64)
let hostSettings: [SwiftSetting] = hostFMA + [.define("TINYNN_SIMD8")]
#else
let hostSettings: [SwiftSetting] = hostFMA
#endif

let package = Package(
    name: "TinyNN",
    products: [
        .library(name: "TinyNN", targets: ["TinyNN"]),
        .executable(name: "tinynn", targets: ["tinynn"]),
        .executable(name: "tinynn-bench", targets: ["tinynn-bench"]),
    ],
    targets: [
        // MARK: - Core (Embedded-safe, no Foundation, no allocation)
        .target(name: "TinyNN", swiftSettings: hostSettings),

        // MARK: - Host only
        .target(name: "TinyNNHost", dependencies: ["TinyNN"], swiftSettings: hostSettings),
        .executableTarget(name: "tinynn", dependencies: ["TinyNNHost"], swiftSettings: hostSettings),
        .executableTarget(name: "tinynn-bench", dependencies: ["TinyNNHost"], swiftSettings: hostSettings),

        // MARK: - Tests
        .testTarget(name: "TinyNNTests", dependencies: ["TinyNN"], swiftSettings: hostSettings),
        .testTarget(
            name: "TinyNNHostTests", dependencies: ["TinyNNHost"],
            resources: [], swiftSettings: hostSettings),
    ]
)
