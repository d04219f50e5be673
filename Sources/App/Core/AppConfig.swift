import CityDomain
import Hotline
import Vapor

/// Everything CityNet reads from the environment and the command line, read once at start.
///
/// Sources, in order of precedence: command-line flags stripped by ``AppConfig/extractFlags(from:)``
/// (`--database PATH`), then environment variables (`DATABASE_URL`, `CITYNET_SESSION_HOURS`,
/// `CITYNET_ESCALATION_SECONDS` — 0 turns the loop off on this node —, `CITYNET_AUTO_MIGRATE`, `CITYNET_PUBLIC_URL`,
/// `CITYNET_HOLIDAY_CSV`, `CITYNET_HOTLINE_MODEL`, `CITYNET_TRIAGE_THRESHOLD`, `CITYNET_ROUTER_THRESHOLD`,
/// `CITYNET_DEMO_INTERVAL`,
/// `CITYNET_DEMO_DATA`, `CITYNET_RELOAD_TEMPLATES`, `CITYNET_TRUSTED_PROXIES`, `CITYNET_IDENTITY_KEY`,
/// `CITYNET_RECTIFICATION_DAYS`, `CITYNET_READING_RETENTION_DAYS`, `CITYNET_LICENCE_KEYS`,
/// `CITYNET_LICENCE_KEY_FILE`, `CITYNET_STATUS_CODE_KEYS`, `CITYNET_STATUS_CODE_KEY_FILE`), then defaults. Nothing else in the app reads the environment.
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
    /// Period of the background sweeps (escalation, government services, stale feeds; ``ServiceLoops``) in seconds;
    /// `nil` disables the loops (tests drive them by hand).
    public var escalationInterval: TimeInterval?
    /// Whether to run migrations and seed reference data automatically on start (the embedded default).
    public var autoMigrate: Bool
    /// The base URL clients reach this server at (e.g. `https://citynet.example.gov.cn`), used in Open311
    /// discovery; nil means the hostname and port `serve` listens on (never the request's Host header, which any
    /// client can set).
    public var publicURL: String?
    /// A holiday table to use instead of the bundled one (same columns as
    /// `Resources/china_holidays/china_public_holidays_and_workdays.csv`), so next year's State Council notice
    /// needs no rebuild: `CITYNET_HOLIDAY_CSV=/etc/citynet/holidays.csv`.
    public var holidayTablePath: String?
    /// A hotline model file (`citynet hotline train --out`) to use instead of the bundled one.
    public var hotlineModelPath: String?
    /// Smallest category confidence a hotline message is dispatched with automatically; below it the message goes
    /// to the triage queue (default ``HotlineTriage/defaultThreshold``, 0.4).
    public var triageThreshold: Double = HotlineTriage.defaultThreshold
    /// Smallest router probability at which the unit router's kind is used: to dispatch a call no rule dispatches,
    /// and as the dispatcher's preference (issue 10 §2); nil keeps the router file's (0.4). `route-eval --curve`
    /// prints the trade-off a city sets it by (`Sources/Hotline/Resources/ROUTING.md`); 1 stops the router from
    /// deciding anything.
    public var routerThreshold: Double?
    /// Whether the console's templates are read again on every page (`CITYNET_RELOAD_TEMPLATES=1`, for editing
    /// them); by default each is parsed once and cached, in every environment.
    public var reloadTemplates = false
    /// Period of ``HotlineRecovery`` in seconds (hotline reports left pending are triaged again); nil turns it off
    /// (tests, and every command but `serve`).
    public var hotlineRecoveryInterval: TimeInterval?
    /// `serve --demo`: feed real corpus messages in as hotline reports; nil when off.
    public var demo: Demo?
    /// Reverse proxies whose `X-Forwarded-For` is believed (`CITYNET_TRUSTED_PROXIES`, a comma list of addresses
    /// and CIDR networks); sign-ins are throttled per client address (``ClientAddress``). Empty: the peer address.
    public var trustedProxies: [IPNetwork] = []
    /// The 32-byte master key identity numbers are sealed with (`CITYNET_IDENTITY_KEY`, base64); nil: see
    /// ``IdentityVault/masterKey(config:logger:)``.
    public var identityKey: Data?
    /// E-licence signing keys as text (`CITYNET_LICENCE_KEYS`: `KEY_ID BASE64` entries, newline or `;` separated,
    /// the last current) or a file of such lines (`CITYNET_LICENCE_KEY_FILE`); nil: see
    /// ``LicenceKeyRing/load(config:logger:)``.
    public var licenceKeys: String?
    public var licenceKeyFile: String?
    /// Personal status code signing keys, the same shape as ``licenceKeys`` (`CITYNET_STATUS_CODE_KEYS`,
    /// `CITYNET_STATUS_CODE_KEY_FILE`, else `<database>.status-code-keys`); see ``StatusCodeKeys``.
    public var statusCodeKeys: String?
    public var statusCodeKeyFile: String?
    /// Working days a department has to rectify a bad 好差评 rating (`CITYNET_RECTIFICATION_DAYS`, default 5).
    public var rectificationDays = 5
    /// Alarm severities that open a report and a case (when the rule names a category); critical and major by
    /// default (CityNet issue 11 §3).
    public var vitalsCaseSeverities: Set<AlarmSeverity> = [.critical, .major]
    /// Days raw sensor readings are kept (`CITYNET_READING_RETENTION_DAYS`; unset or 0 keeps them for ever);
    /// rollups are kept regardless (CityNet issue 11 §1, ``ReadingRetention``).
    public var readingRetentionDays: Int?
    /// Read connections to a SQLite database file, each on its own thread (`CITYNET_SQLITE_READERS`, 1…64, default
    /// 8): a slow screen holds one while the others keep answering (``SQLiteReadPool``; issue #17).
    public var sqliteReaders = 8
    /// PostgreSQL connections per event loop (`CITYNET_POSTGRES_CONNECTIONS`, 1…64, default 4; the server's
    /// `max_connections` must cover this × event loops × servers).
    public var postgresConnectionsPerLoop = 4

    /// Settings of `serve --demo`.
    public struct Demo: Sendable, Equatable {
        /// Seconds between two demo reports (default 3).
        public var interval: TimeInterval = 3
        /// A CSV with a `text` column to feed instead of the bundled excerpt.
        public var dataPath: String?
    }

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
        public var demo = false
    }

    /// Removes `--database PATH` (or `--database=PATH`) and `--demo` from `arguments` and returns them.
    /// - Throws: ``ConfigError/missingValue(_:)`` when `--database` has no value.
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
            } else if argument == "--demo" {
                flags.demo = true
            } else if argument.hasPrefix("--database=") {
                flags.databasePath = String(argument.dropFirst("--database=".count))
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
        config.hotlineRecoveryInterval = 60
        if let hours = environment["CITYNET_SESSION_HOURS"] {
            if let value = Double(hours), value > 0, value <= 24 * 30 {
                config.sessionLifetime = value * 3600
            } else {
                problems.append("CITYNET_SESSION_HOURS must be a number of hours in (0, 720], got \(hours)")
            }
        }
        if let seconds = environment["CITYNET_ESCALATION_SECONDS"] {
            if let value = Double(seconds), value == 0 || value >= 1 {
                config.escalationInterval = value == 0 ? nil : value
            } else {
                problems.append("CITYNET_ESCALATION_SECONDS must be 0 (off) or a number ≥ 1, got \(seconds)")
            }
        }
        if let days = environment["CITYNET_READING_RETENTION_DAYS"] {
            if let value = Int(days), value >= 0 {
                config.readingRetentionDays = value == 0 ? nil : value
            } else {
                problems.append("CITYNET_READING_RETENTION_DAYS must be 0 (keep) or a number of days, got \(days)")
            }
        }
        if let migrate = environment["CITYNET_AUTO_MIGRATE"] {
            switch migrate.lowercased() {
            case "1", "true", "yes": config.autoMigrate = true
            case "0", "false", "no": config.autoMigrate = false
            default: problems.append("CITYNET_AUTO_MIGRATE must be true or false, got \(migrate)")
            }
        }
        if let path = environment["CITYNET_HOLIDAY_CSV"], !path.isEmpty {
            if FileManager.default.isReadableFile(atPath: path) {
                config.holidayTablePath = path
            } else {
                problems.append("CITYNET_HOLIDAY_CSV names \(path), which cannot be read")
            }
        }
        if let url = environment["CITYNET_PUBLIC_URL"], !url.isEmpty {
            if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil {
                config.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            } else {
                problems.append("CITYNET_PUBLIC_URL must be an http(s) URL, got \(url)")
            }
        }
        if let path = environment["CITYNET_HOTLINE_MODEL"], !path.isEmpty {
            if FileManager.default.isReadableFile(atPath: path) {
                config.hotlineModelPath = path
            } else {
                problems.append("CITYNET_HOTLINE_MODEL names \(path), which cannot be read")
            }
        }
        if let text = environment["CITYNET_TRIAGE_THRESHOLD"] {
            if let value = Double(text), (0...1).contains(value) {
                config.triageThreshold = value
            } else {
                problems.append("CITYNET_TRIAGE_THRESHOLD must be a number in [0, 1], got \(text)")
            }
        }
        if let text = environment["CITYNET_ROUTER_THRESHOLD"] {
            if let value = Double(text), (0...1).contains(value) {
                config.routerThreshold = value
            } else {
                problems.append("CITYNET_ROUTER_THRESHOLD must be a number in [0, 1], got \(text)")
            }
        }
        if let text = environment["CITYNET_RELOAD_TEMPLATES"], !text.isEmpty {
            if ["0", "1"].contains(text) {
                config.reloadTemplates = text == "1"
            } else {
                problems.append("CITYNET_RELOAD_TEMPLATES must be 0 or 1, got \(text)")
            }
        }
        if let text = environment["CITYNET_TRUSTED_PROXIES"], !text.isEmpty {
            let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let bad = entries.filter { IPNetwork($0) == nil }
            if bad.isEmpty {
                config.trustedProxies = entries.compactMap(IPNetwork.init)
            } else {
                problems.append(
                    "CITYNET_TRUSTED_PROXIES must be a comma list of IP addresses or CIDR networks, got "
                        + bad.map { "'\($0)'" }.joined(separator: ", "))
            }
        }
        if let text = environment["CITYNET_IDENTITY_KEY"], !text.isEmpty {
            if let key = Data(base64Encoded: text), key.count == 32 {
                config.identityKey = key
            } else {
                problems.append("CITYNET_IDENTITY_KEY must be 32 bytes in base64 (openssl rand -base64 32)")
            }
        }
        if let text = environment["CITYNET_LICENCE_KEYS"], !text.isEmpty { config.licenceKeys = text }
        if let path = environment["CITYNET_LICENCE_KEY_FILE"], !path.isEmpty { config.licenceKeyFile = path }
        if let text = environment["CITYNET_STATUS_CODE_KEYS"], !text.isEmpty { config.statusCodeKeys = text }
        if let path = environment["CITYNET_STATUS_CODE_KEY_FILE"], !path.isEmpty { config.statusCodeKeyFile = path }
        for (name, path) in [
            ("CITYNET_SQLITE_READERS", \AppConfig.sqliteReaders),
            ("CITYNET_POSTGRES_CONNECTIONS", \AppConfig.postgresConnectionsPerLoop),
        ] {
            guard let text = environment[name], !text.isEmpty else { continue }
            if let value = Int(text), (1...64).contains(value) {
                config[keyPath: path] = value
            } else {
                problems.append("\(name) must be a whole number of connections in [1, 64], got \(text)")
            }
        }
        if let text = environment["CITYNET_RECTIFICATION_DAYS"] {
            if let value = Int(text), (1...60).contains(value) {
                config.rectificationDays = value
            } else {
                problems.append(
                    "CITYNET_RECTIFICATION_DAYS must be a whole number of working days in [1, 60], got \(text)")
            }
        }
        if flags.demo {
            var demo = Demo()
            if let text = environment["CITYNET_DEMO_INTERVAL"] {
                if let value = Double(text), value >= 0.1, value <= 3600 {
                    demo.interval = value
                } else {
                    problems.append("CITYNET_DEMO_INTERVAL must be seconds in [0.1, 3600], got \(text)")
                }
            }
            if let path = environment["CITYNET_DEMO_DATA"], !path.isEmpty {
                if FileManager.default.isReadableFile(atPath: path) {
                    demo.dataPath = path
                } else {
                    problems.append("CITYNET_DEMO_DATA names \(path), which cannot be read")
                }
            }
            config.demo = demo
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
