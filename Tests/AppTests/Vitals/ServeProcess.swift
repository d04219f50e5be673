import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import Testing
import Vapor

/// A real `citynet serve` child process on a SQLite file (the executable built beside the test bundle), for tests
/// that kill the server the way a power cut or the OOM killer would. Unchecked Sendable: `Process` is thread-safe
/// for `isRunning`, signals and `waitUntilExit`, the only calls made after start.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts `citynet serve` on `database` and waits until `GET /health` answers 200 (at most 120 s).
    /// - Parameter log: file the server's output goes to.
    init(database: String, log: URL) async throws {
        // The test binary is `.build/<config>/<Package>PackageTests.xctest` (a bundle directory on macOS).
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            here, here.deletingLastPathComponent(), here.deletingLastPathComponent().deletingLastPathComponent(),
        ]
        .map { $0.appendingPathComponent("citynet") }
        let executable = try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "no citynet executable beside \(here.path); build it with swift build --build-tests")
        port = try await Self.freePort()
        process.executableURL = executable
        process.arguments = ["serve", "--hostname", "127.0.0.1", "--port", "\(port)", "--database", database]
        var environment = ProcessInfo.processInfo.environment
        environment["CITYNET_ESCALATION_SECONDS"] = "0"
        environment.removeValue(forKey: "DATABASE_URL")
        process.environment = environment
        if !FileManager.default.fileExists(atPath: log.path) {
            FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let (status, _) = try? await request(.GET, "/health"), status == .ok { return }
            try #require(process.isRunning, "citynet serve exited; see \(log.path)")
            try await Task.sleep(for: .milliseconds(100))
        }
        kill()
        Issue.record("citynet serve did not answer /health within 120 s")
        throw CancellationError()
    }

    /// SIGKILL: no shutdown code runs, nothing is flushed.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits for the exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    func request(_ method: HTTPMethod, _ path: String, body: String? = nil, token: String? = nil) async throws
        -> (HTTPResponseStatus, String)
    {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        return (response.status, String(buffer: try await response.body.collect(upTo: 16 << 20)))
    }

    /// Signs in; returns the bearer token.
    func login(username: String, password: String) async throws -> String {
        let (status, body) = try await request(
            .POST, "/api/v1/sessions", body: #"{"username":"\#(username)","password":"\#(password)"}"#)
        try #require(status == .ok, "\(body)")
        struct Session: Decodable { var token: String }
        return try JSONDecoder().decode(Session.self, from: Data(body.utf8)).token
    }

    /// A port nothing listens on now (bound to port 0 and released).
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    deinit { kill() }
}
