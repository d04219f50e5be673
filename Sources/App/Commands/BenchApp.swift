import Foundation
import Vapor

/// The throwaway app every `citynet bench` measurement runs in: a new Application on a fresh embedded SQLite file in
/// its own temporary directory, shut down and removed afterwards, whether the measurement succeeds or throws.
enum BenchApp {
    /// Runs `measure` on a new app and the path of its (not yet created) SQLite file.
    /// - Returns: the measurement's `bench …` lines.
    /// - Throws: whatever `measure` or setting up the app throws; the app is shut down either way.
    static func run(_ measure: (Application, _ databasePath: String) async throws -> [String]) async throws
        -> [String]
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "citynet-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await Application.make(.init(name: "bench", arguments: ["citynet"]))
        app.logger.logLevel = .warning
        do {
            let lines = try await measure(app, directory.appendingPathComponent("bench.sqlite").path)
            try await app.asyncShutdown()
            return lines
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
