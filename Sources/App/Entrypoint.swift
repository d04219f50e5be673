import Vapor

/// The `citynet` executable: reads configuration once, configures the app, registers CityNet's commands and runs
/// the one named on the command line (`serve` by default).
public enum CityNetMain {
    public static func run() async throws {
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)
        let flags = try AppConfig.extractFlags(from: &env.arguments)
        var config = try AppConfig.load(flags: flags)
        let command = env.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"
        if command != "serve" { config.escalationInterval = nil }
        let app = try await Application.make(env)
        do {
            try await configure(app, config: config)
            app.asyncCommands.use(APIKeyCommands(), as: "apikey")
            app.asyncCommands.use(OperatorCommands(), as: "operator")
            app.asyncCommands.use(ImportRegionsCommand(), as: "import-regions")
            app.asyncCommands.use(BenchCommand(), as: "bench")
            try await app.execute()
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
