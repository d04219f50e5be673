import NIOCore
import NIOPosix
import Vapor

/// The `citynet` executable: reads configuration once, configures the app, registers CityNet's commands and runs
/// the one named on the command line (`serve` by default).
public enum CityNetMain {
    /// Runs Swift concurrency on NIO's event loops, so that an async route handler stays on the thread that read its
    /// request instead of hopping to a dispatch worker and back (the switch Vapor's template offers). Call it once,
    /// from the main thread, before anything async starts. Nothing in CityNet blocks an event loop with `.wait()`,
    /// which is what this would break. Returns whether the executor was installed.
    @discardableResult
    public static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Runs the command and returns the process exit status: 0, or 1 after printing the error once on
    /// standard error (no crash report for a usage error).
    public static func main() async -> Int32 {
        // `licence verify` and `licence new-key` work offline: no configuration, no database.
        if let status = LicenceCommand.runIfNamed(
            Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        {
            return status
        }
        // `code verify` and `code new-key` work offline too.
        if let status = await CodeCommand.runIfNamed(Array(CommandLine.arguments.dropFirst())) { return status }
        do {
            try await run()
            return 0
        } catch is ReportedByVapor {
            return 1
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
    }

    static func run() async throws {
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)
        let flags = try AppConfig.extractFlags(from: &env.arguments)
        var config = try AppConfig.load(flags: flags)
        // Vapor runs `serve` when the first argument is a flag or missing (`citynet --port 9000`).
        let first = env.arguments.dropFirst().first
        let command = first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "serve"
        if command != "serve" {
            config.escalationInterval = nil
            config.hotlineRecoveryInterval = nil
            config.demo = nil
        }
        let wantsHelp = env.arguments.contains("--help") || env.arguments.contains("-h")
        if wantsHelp { config.storage = .sqliteMemory }  // help must not create a database in the current folder
        let app = try await Application.make(env)
        if wantsHelp { app.logger.logLevel = .warning }
        do {
            try await configure(app, config: config)
            app.asyncCommands.use(APIKeyCommands(), as: "apikey")
            app.asyncCommands.use(OperatorCommands(), as: "operator")
            app.asyncCommands.use(ImportRegionsCommand(), as: "import-regions")
            app.asyncCommands.use(HotlineCommands(), as: "hotline")
            app.asyncCommands.use(BenchCommand(), as: "bench")
            app.asyncCommands.use(SensorCommands(), as: "sensors")
            app.asyncCommands.use(IncidentCommands(), as: "incident")
            app.asyncCommands.use(SeedHistoryCommand(), as: "seed-history")
            app.asyncCommands.use(CheckCountersCommand(), as: "check-counters")
            do { try await app.execute() } catch { throw ReportedByVapor() }
            if wantsHelp { print(flagsHelp) }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// CityNet's own flags, which are taken out of the arguments before Vapor sees them (so its help cannot list them).
let flagsHelp = """

    CityNet flags (every command):
      --database PATH   the embedded SQLite file (default ./citynet.sqlite; DATABASE_URL selects PostgreSQL)
      --demo            with serve: feed 200 real citizen messages in as 12345 calls (CITYNET_DEMO_INTERVAL seconds apart)
                        and replay the real Shanghai PM2.5 and weather series as demo sensors
    Settings from the environment: see the README's Configuration table.
    """

/// A command failure Vapor's console has already shown to the user.
private struct ReportedByVapor: Error {}
