import Vapor

/// Everything CityNet reads from the environment and the command line, read once at start.
///
/// Sources, in order of precedence: command-line flags stripped by ``AppConfig/extractFlags(from:)``
/// (`--database PATH`, `--demo`), then environment variables (`DATABASE_URL`, `CITYNET_SESSION_HOURS`,
/// `CITYNET_ESCALATION_SECONDS`), then defaults. Nothing else in the app calls `Environment.get`.
public struct AppConfig: Sendable {
    /// Where cases are stored.
    public enum Storage: Sendable, Equatable {
        /// An SQLite file at this path (the embedded default, `./citynet.sqlite`).
        case sqliteFile(String)
        /// A private in-memory SQLite database (tests).
        case sqliteMemory
        /// A PostgreSQL server; `searchPath` selects a schema (tests give each run its own).
        case postgres(url: String, searchPath: [String]?)

        /// `sqlite` or `postgresql`, as reported by `GET /health`.
        public var kind: String {
            switch self {
            case .sqliteFile, .sqliteMemory: "sqlite"
            case .postgres: "postgresql"
            }
        }
    }

    public var storage: Storage
    /// How long an operator session token lives, in seconds (default 12 h: one shift plus handover).
    public var sessionLifetime: TimeInterval
    /// Period of the background escalation sweep in seconds; `nil` disables the loop (tests drive it by hand).
    public var escalationInterval: TimeInterval?
    /// Whether to run migrations and seed reference data automatically on start (the embedded default).
    public var autoMigrate: Bool

    public init(
        storage: Storage,
        sessionLifetime: TimeInterval = 12 * 3600,
        escalationInterval: TimeInterval? = 60,
        autoMigrate: Bool = true
    ) {
        self.storage = storage
        self.sessionLifetime = sessionLifetime
        self.escalationInterval = escalationInterval
        self.autoMigrate = autoMigrate
    }

    /// Flags CityNet adds to Vapor's commands, removed from the argument list before Vapor parses it.
    public struct Flags: Sendable, Equatable {
        public var databasePath: String?
        public var demo: Bool = false
    }

    /// Removes `--database PATH` (or `--database=PATH`) and `--demo` from `arguments` and returns them.
    /// - Throws: `Abort(.badRequest)` when `--database` has no value.
    public static func extractFlags(from arguments: inout [String]) throws -> Flags {
        var flags = Flags()
        var kept: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--database" {
                guard index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") else {
                    throw ConfigError.missingValue("--database")
                }
                flags.databasePath = arguments[index + 1]
                index += 2
                continue
            } else if argument.hasPrefix("--database=") {
                flags.databasePath = String(argument.dropFirst("--database=".count))
            } else if argument == "--demo" {
                flags.demo = true
            } else {
                kept.append(argument)
            }
            index += 1
        }
        arguments = kept
        return flags
    }

    /// Builds the configuration from flags and the process environment.
    /// - Throws: ``ConfigError`` listing every invalid value at once.
    public static func load(flags: Flags, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> AppConfig
    {
        var problems: [String] = []
        let storage: Storage
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw ConfigError.invalid(["DATABASE_URL must start with postgres:// (got \(url.prefix(16))…)"])
            }
            storage = .postgres(url: url, searchPath: nil)
        } else {
            storage = .sqliteFile(flags.databasePath ?? "citynet.sqlite")
        }
        var config = AppConfig(storage: storage)
        if let hours = environment["CITYNET_SESSION_HOURS"] {
            if let value = Double(hours), value > 0, value <= 24 * 30 { config.sessionLifetime = value * 3600 }
            else { problems.append("CITYNET_SESSION_HOURS must be a number of hours in (0, 720], got \(hours)") }
        }
        if let seconds = environment["CITYNET_ESCALATION_SECONDS"] {
            if let value = Double(seconds), value >= 1 { config.escalationInterval = value }
            else { problems.append("CITYNET_ESCALATION_SECONDS must be a number ≥ 1, got \(seconds)") }
        }
        if !problems.isEmpty { throw ConfigError.invalid(problems) }
        return config
    }
}

/// A configuration problem found at start.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    case missingValue(String)
    case invalid([String])

    public var description: String {
        switch self {
        case .missingValue(let flag): "\(flag) needs a value"
        case .invalid(let problems): "invalid configuration: " + problems.joined(separator: "; ")
        }
    }
}
