import CityDomain
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

/// CityNet's version, reported by `GET /health` and Open311 discovery.
public let cityNetVersion = "0.1.0"

/// Configures an application: storage, migrations and seed data, reference data, metrics, routes and the
/// escalation loop.
/// - Parameters:
///   - app: the Vapor application.
///   - config: storage and timing settings (``AppConfig/load(flags:environment:)`` for the real server).
/// - Throws: configuration, migration or bundled-data errors; the server does not start with any of them.
public func configure(_ app: Application, config: AppConfig) async throws {
    Timestamps.install(on: app)
    // Wraps the JSON, form and multipart decoders: every decoded body is checked for refused characters first, a
    // multipart one by MultipartGuard before any parser reads it.
    InputText.install()
    app.metrics = CityMetrics()
    app.apiKeys = APIKeyCache()
    let passwordPool = NIOThreadPool(numberOfThreads: 1)
    passwordPool.start()
    app.passwordPool = passwordPool
    app.storage[AppConfigKey.self] = config
    let holidayTable = try config.holidayTablePath.map { try String(contentsOfFile: $0, encoding: .utf8) }
    let bundled = try CityReference.shanghaiDefault(holidayTable: holidayTable)
    app.updateReference { _ in bundled }

    switch config.storage {
    // A SQLite file is read through `config.sqliteReaders` connections on their own threads (SQLiteReadPool), so a
    // slow screen does not hold up every other reader. As on PostgreSQL below, a reader queues patiently (60 s, not
    // the driver's 10 s) rather than failing with a 500 when the machine is busy: a burst of submissions on a
    // loaded 2-core CI run waited more than 10 s.
    case .sqliteFile(let path):
        app.databases.use(
            SQLiteReadPool(file: .file(path), connections: config.sqliteReaders, timeout: .seconds(60)), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, connectionPoolTimeout: .seconds(60)), as: .sqlite)
    case .postgres(let url, let searchPath):
        var postgres = try SQLPostgresConfiguration(url: url)
        postgres.searchPath = searchPath
        // Several connections per event loop, and a patient pool: a burst of intakes queues for a connection
        // rather than failing (each intake holds one only for its short transaction).
        app.databases.use(
            .postgres(
                configuration: postgres, maxConnectionsPerEventLoop: config.postgresConnectionsPerLoop,
                connectionPoolTimeout: .seconds(60)),
            as: .psql)
        // Before the loops that ask for it, so it is shut down after them (handlers stop in reverse order).
        let lease = AdvisoryLease(configuration: postgres, eventLoop: app.eventLoopGroup.any(), logger: app.logger)
        app.taskLease = lease
        app.lifecycle.use(lease)
        if let schema = searchPath?.first, let sql = app.db as? any SQLDatabase {
            // A deployment (or a test run) may keep CityNet in its own schema; create it on first start.
            try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
        }
    }
    app.databases.middleware.use(StoredDatesMiddleware())
    app.migrations.add(CreateReferenceTables())
    app.migrations.add(CreateCaseTables())
    app.migrations.add(CreateAccessTables())
    app.migrations.add(CreateIndexes())
    let seed = try ReferenceSeed(bundled)
    app.migrations.add(SeedReferenceData(seed: seed))
    app.migrations.add(CreateHotlineTables())
    app.migrations.add(CreateFieldWorkTables())
    app.migrations.add(CreateLoginFailures())
    app.migrations.add(AddAPIKeyScopes())
    app.migrations.add(UpdateLoginFailuresAddClientAddress())
    app.migrations.add(UpdateCasesAddDispatchBasis())
    app.migrations.add(UpdateHotlineExamplesAddUnitKind())
    app.migrations.add(CreateGovServiceTables())
    app.migrations.add(CreateVitalsTables())
    app.migrations.add(AddMissingReferenceRows(seed: seed))
    app.migrations.add(AddMissingReferenceRows(seed: seed, name: "App.AddMissingReferenceRows#general-request"))
    app.migrations.add(PartitionReadingsByTime())
    app.migrations.add(SeedStaleFeedRulesForIndicators())
    app.migrations.add(CreateCameraTables())
    app.migrations.add(CreateVitalsWatermarks())
    app.migrations.add(UpdateReadingRollupsMinuteKeepPastRetention())
    app.migrations.add(UpdateAPIKeysAddReadingArea())
    app.migrations.add(CreateLicenceTables())
    app.migrations.add(CreateCaseCounters())
    app.migrations.add(CreateHistoryIndexes())
    app.migrations.add(CreateCasesClosedIndex())
    app.migrations.add(UpdateGovForLicenceReuse())
    app.migrations.add(CreateAlarmRuleVersions())
    app.migrations.add(CreateAlarmsSensorIndex())
    app.migrations.add(CreateBundleTables())
    app.migrations.add(UpdateAlarmsForReplay())
    app.migrations.add(UpdateCasesAddCallback())
    app.migrations.add(CreateSearchIndex())
    app.migrations.add(AddMissingReferenceRows(seed: seed, name: "App.AddMissingReferenceRows#meteorology"))
    let incidentData = try IncidentData.bundled(units: bundled.units)
    app.migrations.add(CreateIncidentTables())
    app.migrations.add(SeedIncidentResources(rows: incidentData.pools.resources))
    app.migrations.add(SeedGaleAlarmRule())
    app.migrations.add(CreateStatusCodeTables())
    app.migrations.add(UpdateStatusDecisionsAddSequence())
    app.migrations.add(UpdateReportsAddTriageCategory())
    app.migrations.add(CreateCaseWindowIndexes())
    app.migrations.add(UpdateCaseEventsAddNoteParts())
    app.migrations.add(CreateReportsTriageRegionIndex())
    app.migrations.add(CreateCaseDayCounts())
    app.migrations.add(UpdateIncidentEventsAddNoteParts())

    switch config.storage {
    case .sqliteFile(let path): await app.useSQLiteWriter(path: path)
    case .sqliteMemory: await app.useSQLiteWriter(path: nil)
    case .postgres:
        app.writeGate = WriteGate(batching: false, loop: app.eventLoopGroup.any()) { [unowned app] in app.db }
    }
    if case .sqliteFile = config.storage, let sql = app.db as? any SQLDatabase {
        // WAL keeps readers off the writer's back; synchronous stays FULL so a commit is on disk before we answer.
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        // The writer's page cache: 64 MiB instead of SQLite's 2 MiB, so that the rollup, rule-state and sensor rows a
        // reading batch updates stay in memory (`citynet bench ingest`: those upserts took ~1.5× as long without).
        try await app.writeGate.exclusive { db in try await db.sql().raw("PRAGMA cache_size = -65536").run() }
    }
    if config.autoMigrate { try await app.autoMigrate() }
    // Without auto-migration (a multi-node deployment migrates once with `citynet migrate`), reference data can
    // only be loaded from a database that has the tables.
    var migrated = config.autoMigrate
    if !migrated {
        do {
            migrated = try await app.migrator.previewPrepareBatch().get().isEmpty
        } catch {
            // A database never migrated has no migration log to read: start unmigrated, so `citynet migrate` can
            // run (it configures the app first) and nodes started before it wait for it.
            app.logger.warning("the migration log cannot be read", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
    if migrated {
        try await ReferenceLoader.loadStored(into: app)
    } else {
        app.logger.warning("migrations pending: run `citynet migrate` (GET /health reports 503 until then)")
    }

    app.installHotline(
        try HotlineSetup(
            modelPath: config.hotlineModelPath, threshold: config.triageThreshold,
            routerThreshold: config.routerThreshold))
    app.installLiveFeed()
    app.bundledResponsePlans = incidentData.plans
    try app.installGovServices(config: config)
    try await app.installStatusCodes(config: config)
    app.vitalsCache = VitalsCache()
    app.indicators = try IndicatorDefinitions.bundled()
    app.readingProcessor = ReadingProcessor()
    app.readingInsertQueue = ReadingInsertQueue()
    app.lifecycle.use(ReadingProcessorLifecycle())
    try app.useConsoleViews(reloadTemplates: config.reloadTemplates)
    app.passwords.use(.bcrypt(cost: 12))
    app.middleware.use(RequestMetricsMiddleware(), at: .beginning)
    app.middleware.use(MethodNotAllowedMiddleware())
    app.middleware.use(InputTextMiddleware())
    try routes(app)
    if let interval = config.escalationInterval {
        for task in ServiceLoops.sweeps(interval: interval) { app.lifecycle.use(task) }
    }
    if let interval = config.hotlineRecoveryInterval, migrated {
        app.lifecycle.use(HotlineRecovery.periodicTask(interval: interval))
    }
    if let demo = config.demo {
        app.lifecycle.use(try HotlineDemo.periodicTask(settings: demo, logger: app.logger))
        app.lifecycle.use(try VitalsDemo.periodicTask(logger: app.logger))
    }
}

struct AppConfigKey: StorageKey { typealias Value = AppConfig }

extension Application {
    private struct PasswordPoolKey: LockKey, StorageKey { typealias Value = NIOThreadPool }

    /// One thread for Bcrypt (login), apart from the thread pool SQLite uses; shut down with the app.
    var passwordPool: NIOThreadPool {
        get {
            storage.required(PasswordPoolKey.self)
        }
        set {
            storage.set(PasswordPoolKey.self, to: newValue) { pool in try pool.syncShutdownGracefully() }
        }
    }
}

extension Application {
    /// The configuration `configure` was called with.
    var config: AppConfig {
        storage.required(AppConfigKey.self)
    }
}
