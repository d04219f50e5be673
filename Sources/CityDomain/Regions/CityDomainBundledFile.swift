import Foundation

/// Locates files bundled under `Sources/CityDomain/Resources/` (copied whole into `Bundle.module`).
enum CityDomainBundledFile {
    /// URL of `Resources/<folder>/<name>` in the module bundle.
    /// - Throws: ``RegionError/missingResource(_:)`` when the file is not in the bundle.
    static func url(folder: String, name: String) throws -> URL {
        let url = Bundle.module.bundleURL
            .appendingPathComponent("Resources", isDirectory: true)
            .appendingPathComponent(folder, isDirectory: true)
            .appendingPathComponent(name, isDirectory: false)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw RegionError.missingResource("Resources/\(folder)/\(name)")
        }
        return url
    }

    /// Contents of `Resources/<folder>/<name>`.
    static func data(folder: String, name: String) throws -> Data {
        try Data(contentsOf: url(folder: folder, name: name))
    }
}
