import CityDomain
import Testing
import Vapor
import VaporTesting

@testable import App

/// Health, metrics, the OpenAPI document, configuration flags.
@Suite struct SystemEndpointTests {
    @Test func healthReportsDatabaseAndMigrations() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.GET, "/health") { res in
                #expect(res.status == .ok)
                let health = try res.content.decode(HealthController.HealthDTO.self)
                #expect(health.migrationsCurrent)
                #expect(health.version == cityNetVersion)
                let expected = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] == nil ? "sqlite" : "postgresql"
                #expect(health.database == expected)
                #expect(health.calendarYears == "2004–2026")
            }
        }
    }

    @Test func metricsCountReportsAndCasesByState() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            try await Open311IntakeTests.post(
                app, ["api_key": key, "service_code": "road.ponding", "lat": "31.2304", "long": "121.4737"]
            ) {
                #expect($0.status == .created)
            }
            try await app.testing().test(.GET, "/metrics") { res in
                let text = res.body.string
                #expect(text.contains("citynet_reports_received_total{source=\"open311\"} 1"))
                #expect(text.contains("citynet_cases{state=\"dispatched\"} 1"))
                #expect(text.contains("citynet_dispatch_latency_seconds_count 1"))
                #expect(text.contains("citynet_http_requests_total"))
            }
        }
    }

    @Test func openAPIDocumentsEveryRoute() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.GET, "/openapi.json") { res in
                #expect(res.status == .ok)
                let doc = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [String: Any]
                let paths = Set((doc?["paths"] as? [String: Any])?.keys.map { $0 } ?? [])
                for route in app.routes.all {
                    let path =
                        "/"
                        + route.path.map { component -> String in
                            switch component {
                            case .parameter(let name): "{\(name)}"
                            default: component.description
                            }
                        }.joined(separator: "/")
                    if path.hasPrefix("/open311") { continue }  // documented per resource, not per path parameter
                    if path.hasPrefix("/console") { continue }  // HTML pages for browsers, not the API
                    let documented = paths.contains(
                        path.replacingOccurrences(of: "{caseID}", with: "{id}").replacingOccurrences(
                            of: "{reportID}", with: "{report_id}"))
                    #expect(documented, "route \(route.method) \(path) is missing from openapi.json")
                }
            }
        }
    }

    @Test func databaseFlagIsStrippedFromArguments() throws {
        var arguments = ["citynet", "serve", "--database", "/tmp/x.sqlite", "--port", "9000"]
        let flags = try AppConfig.extractFlags(from: &arguments)
        #expect(flags.databasePath == "/tmp/x.sqlite")
        #expect(arguments == ["citynet", "serve", "--port", "9000"])
        var missing = ["citynet", "serve", "--database"]
        #expect(throws: ConfigError.missingValue("--database")) { try AppConfig.extractFlags(from: &missing) }
        #expect(throws: ConfigError.self) {
            try AppConfig.load(flags: .init(), environment: ["DATABASE_URL": "mysql://x"])
        }
        let config = try AppConfig.load(flags: .init(databasePath: "a.sqlite"), environment: [:])
        #expect(config.storage == .sqliteFile("a.sqlite"))
    }

    @Test func hotlineAndDemoSettingsAreReadAndChecked() throws {
        var arguments = ["citynet", "serve", "--demo", "--port", "9000"]
        let flags = try AppConfig.extractFlags(from: &arguments)
        #expect(flags.demo)
        #expect(arguments == ["citynet", "serve", "--port", "9000"])
        let config = try AppConfig.load(
            flags: flags, environment: ["CITYNET_TRIAGE_THRESHOLD": "0.6", "CITYNET_DEMO_INTERVAL": "0.5"])
        #expect(config.triageThreshold == 0.6)
        #expect(config.demo?.interval == 0.5)
        #expect(try AppConfig.load(flags: .init(), environment: [:]).demo == nil)
        #expect(try AppConfig.load(flags: .init(), environment: [:]).triageThreshold == 0.4)
        #expect(try AppConfig.load(flags: .init(), environment: [:]).routerThreshold == nil)
        #expect(
            try AppConfig.load(flags: .init(), environment: ["CITYNET_ROUTER_THRESHOLD": "0.55"]).routerThreshold
                == 0.55)
        #expect(try AppConfig.load(flags: .init(), environment: [:]).reloadTemplates == false)
        #expect(try AppConfig.load(flags: .init(), environment: ["CITYNET_RELOAD_TEMPLATES": "1"]).reloadTemplates)
        for environment in [
            ["CITYNET_RELOAD_TEMPLATES": "yes"], ["CITYNET_TRIAGE_THRESHOLD": "1.5"],
            ["CITYNET_TRIAGE_THRESHOLD": "high"], ["CITYNET_ROUTER_THRESHOLD": "-0.1"],
            ["CITYNET_ROUTER_THRESHOLD": "nan"],
            ["CITYNET_HOTLINE_MODEL": "/no/such/model.json"], ["CITYNET_DEMO_INTERVAL": "0"],
            ["CITYNET_DEMO_DATA": "/no/such/messages.csv"],
        ] {
            #expect(throws: ConfigError.self, "\(environment)") {
                try AppConfig.load(flags: flags, environment: environment)
            }
        }
    }
}

/// A newer holiday table is data, loaded from CITYNET_HOLIDAY_CSV without a rebuild; /health warns before the table
/// in use runs out.
@Suite struct HolidayTableTests {
    @Test func healthWarnsTwoMonthsBeforeTheTableEnds() async throws {
        try await TestApp.withApp(now: Timestamps.parse("2026-11-29T10:00:00+08:00")!) { app, _ in
            try await app.testing().test(.GET, "/health") { res in
                let health = try res.content.decode(HealthController.HealthDTO.self)
                #expect(health.warnings.count == 1)
                #expect(health.warnings.first?.contains("2027") == true)
            }
        }
    }

    @Test func aNewerTableIsLoadedFromTheEnvironment() throws {
        // A small table whose last year is 2027 (New Year's Day 2027 off), as next year's notice would add.
        let csv = "date,kind,holiday\n2026-10-01,holiday,National Day\n2027-01-01,holiday,New Year's Day\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("holidays-\(UUID()).csv")
        try csv.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let config = try AppConfig.load(flags: .init(), environment: ["CITYNET_HOLIDAY_CSV": url.path])
        #expect(config.holidayTablePath == url.path)
        let reference = try CityReference.shanghaiDefault(
            holidayTable: try String(contentsOfFile: url.path, encoding: .utf8))
        #expect(reference.calendar.lastYear == 2027)
        // Wed 2026-12-30 + 5 working days: Thu 31, (Fri 1 Jan off), Mon 4, Tue 5, Wed 6, Thu 7 → 2027-01-07 24:00.
        let due = try reference.deadlines.due(
            start: Timestamps.parse("2026-12-30T10:00:00+08:00")!, limit: TimeLimit(value: 5, unit: .workingDays),
            clock: .officeHours)
        #expect(due == Timestamps.parse("2027-01-08T00:00:00+08:00"))
        #expect(throws: ConfigError.self) {
            try AppConfig.load(flags: .init(), environment: ["CITYNET_HOLIDAY_CSV": "/no/such/file.csv"])
        }
    }
}
