// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "GrokSim",
    products: [
        .executable(name: "groksim", targets: ["groksim"]),
        .library(name: "GrokSimCore", targets: ["GrokSimCore"]),
        .library(name: "GrokSimTheory", targets: ["GrokSimTheory"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Sweep files are TOML documents (tables, arrays of tables) beyond the flat config subset.
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C shims: system libraries from Debian's -dev packages, found through pkg-config.
        .systemLibrary(name: "_CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .systemLibrary(name: "_CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "_COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),

        // Models, data, randomness and the training loop; no MPI and no HDF5.
        // Optimised even in debug builds: the generators and the per-element loops run 30x slower at -Onone,
        // which would make the test suite slow without testing anything more.
        .target(name: "GrokSimCore", dependencies: ["_COpenBLAS"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // The only module that talks to MPI.
        .target(name: "GrokSimMPI", dependencies: ["_CMPI", "GrokSimCore"]),
        // A small typed wrapper over the HDF5 C library.
        .target(name: "GrokSimHDF5", dependencies: ["_CHDF5"]),
        // Pure-Swift SVG charts.
        .target(name: "GrokSimPlot"),
        // Run files, checkpoints, figures, and the driver that ties a model, a communicator and a run file together;
        // knows models only through the seam in GrokSimCore/Model.
        .target(name: "GrokSimRun", dependencies: ["GrokSimCore", "GrokSimHDF5", "GrokSimPlot",
                                                 .product(name: "TOMLKit", package: "TOMLKit")]),
        // One folder per model behind the seam, with its presets, analysis and figures.
        .target(name: "GrokSimModels", dependencies: ["GrokSimCore", "GrokSimHDF5", "GrokSimPlot", "GrokSimRun", "GrokSimTheory"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .executableTarget(name: "groksim", dependencies: [
            "GrokSimCore", "GrokSimMPI", "GrokSimHDF5", "GrokSimPlot", "GrokSimRun", "GrokSimModels",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Theory: closed forms and real-solver computations (margins, separability, Marchenko-Pastur dynamics)
        // that models store beside their measurements. Model-free: it does not depend on GrokSimCore.
        .systemLibrary(name: "_CGSL", pkgConfig: "gsl",
                       providers: [.apt(["libgsl-dev"])]),
        // GLPK and libsvm ship no pkg-config file; their module maps name the libraries.
        .systemLibrary(name: "_CGLPK", providers: [.apt(["libglpk-dev"])]),
        .systemLibrary(name: "_CSVM", providers: [.apt(["libsvm-dev"])]),
        // LAPACK as shipped inside Debian's OpenBLAS, which has no LAPACK header of its own.
        .systemLibrary(name: "_CLAPACK", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .target(name: "GrokSimTheory", dependencies: ["_CGSL", "_CGLPK", "_CSVM", "_CLAPACK", "_COpenBLAS"]),

        // Shared test support: temporary directories, the test registry of models and the conformance cases.
        .target(name: "GrokSimTestSupport", dependencies: ["GrokSimCore", "GrokSimModels"], path: "Tests/GrokSimTestSupport"),
        .testTarget(name: "GrokSimCoreTests", dependencies: ["GrokSimCore", "GrokSimTestSupport"]),
        .testTarget(name: "GrokSimHDF5Tests", dependencies: ["GrokSimHDF5", "GrokSimTestSupport"]),
        .testTarget(name: "GrokSimTheoryTests", dependencies: ["GrokSimTheory"]),
        .testTarget(name: "GrokSimPlotTests", dependencies: ["GrokSimPlot"]),
        .testTarget(name: "GrokSimRunTests", dependencies: ["GrokSimRun", "GrokSimCore", "GrokSimHDF5", "GrokSimModels", "GrokSimTestSupport"]),
        // Each model's own tests and the conformance suite every model joins by one line in TestModels.
        .testTarget(name: "GrokSimModelsTests", dependencies: ["GrokSimModels", "GrokSimCore", "GrokSimRun", "GrokSimHDF5", "GrokSimTestSupport"]),
    ]
)
