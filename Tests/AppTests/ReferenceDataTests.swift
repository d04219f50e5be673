import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Grid-cell import, category edits through the API, and time limits past the holiday table.
@Suite struct ReferenceDataTests {
    /// A 1 km square around a point in 北蔡镇 (浦东新区), WGS84 lon/lat.
    static let gridCell = """
        {"type":"FeatureCollection","features":[{"type":"Feature",
         "properties":{"code":"310115105G001","name":"北蔡1号网格","parent":"310115105"},
         "geometry":{"type":"Polygon","coordinates":[[[121.545,31.185],[121.555,31.185],[121.555,31.195],[121.545,31.195],[121.545,31.185]]]}}]}
        """

    @Test func importedGridCellLocatesAndDispatchesThroughItsStreet() async throws {
        try await TestApp.withApp { app, _ in
            let result = try await RegionImport.run(
                data: Data(Self.gridCell.utf8), codeProperty: "code", app: app, now: app.clock.now())
            #expect(result == .init(polygons: 1, newGridCells: 1))
            try await ReferenceLoader.loadStored(into: app)  // what the next start does
            #expect(app.reference.hierarchy["310115105G001"]?.level == .grid)
            let point = try GeoPoint(latitude: 31.19, longitude: 121.55)
            let located = try app.reference.locator.locate(point: point, addressText: nil, chosenRegionCode: nil)
            #expect(located.regionCode == "310115105G001")
            #expect(located.method == .polygon)
            let intake = IntakeReport(source: .api, categoryCode: "noise.renovation", point: point, actor: "test")
            let stored = try await CaseIntake.register(
                intake, reference: app.reference, gate: app.writeGate, now: app.clock.now(), logger: app.logger)
            #expect(stored.case.regionCode == "310115105G001")
            #expect(stored.case.unitCode == "310115105.housing")  // no units in a grid cell: its street's 房管办
        }
    }

    @Test func importRefusesUnknownRegionsWithoutParentAndWritesNothing() async throws {
        try await TestApp.withApp { app, _ in
            let bad = Self.gridCell.replacingOccurrences(of: "\"parent\":\"310115105\"", with: "\"parent\":\"999\"")
            await #expect(throws: CommandFailure.self) {
                _ = try await RegionImport.run(
                    data: Data(bad.utf8), codeProperty: "code", app: app, now: app.clock.now())
            }
            let boundaries = try await RegionBoundaryRow.query(on: app.db).count()
            let gridCells = try await RegionRow.query(on: app.db).filter(\.$level == "grid").count()
            #expect(boundaries == 0)
            #expect(gridCells == 0)
        }
    }

    @Test func administratorsEditCategoriesAndOthersCannot() async throws {
        try await TestApp.withApp { app, _ in
            let admin = try await TestApp.login(
                app, username: "admin", unit: "310000.operations_centre", role: .administrator)
            let op = try await TestApp.login(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            var category = try #require(app.reference.taxonomy["noise.construction"])
            category.priority = .urgent
            category.nameEn = "Construction site noise (edited)"
            let body = try CategoryStore.encode(category)
            try await app.testing().test(
                .PUT, "/api/v1/categories/noise.construction", headers: .bearer(op),
                beforeRequest: { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(data: body)
                }
            ) { #expect($0.status == .forbidden) }
            try await app.testing().test(
                .PUT, "/api/v1/categories/noise.construction", headers: .bearer(admin),
                beforeRequest: { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(data: body)
                }
            ) { #expect($0.status == .ok) }
            #expect(app.reference.taxonomy["noise.construction"]?.priority == .urgent)
            let stored = try await CategoryStore.load(on: app.db)
            #expect(stored?["noise.construction"]?.nameEn == "Construction site noise (edited)")

            category.parentCode = "no.such.parent"
            let orphan = try CategoryStore.encode(category)
            try await app.testing().test(
                .PUT, "/api/v1/categories/noise.construction", headers: .bearer(admin),
                beforeRequest: { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(data: orphan)
                }
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("no.such.parent"))
            }
            #expect(app.reference.taxonomy["noise.construction"]?.parentCode == "noise")
            try await app.testing().test(
                .PUT, "/api/v1/categories/noise.construction", headers: .bearer(admin),
                beforeRequest: { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(string: "{\"code\": 5}")
                }
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("code"))
            }
        }
    }

    @Test func aLimitPastTheHolidayTableIsReportedNotGuessed() async throws {
        // Wed 2026-12-30: renovation noise has handle 1 working day (ends 2026-12-31 24:00) and overall 5 working
        // days, which need the 2027 table the data set does not have yet.
        let wednesday = Timestamps.parse("2026-12-30T10:00:00+08:00")!
        try await TestApp.withApp(now: wednesday) { app, clock in
            let intake = IntakeReport(
                source: .api, categoryCode: "noise.renovation",
                point: try GeoPoint(latitude: 31.2397, longitude: 121.4998), actor: "test")
            let stored = try await CaseIntake.register(
                intake, reference: app.reference, gate: app.writeGate, now: clock.now, logger: app.logger)
            #expect(stored.case.state == .dispatched)  // the report is never refused for it
            #expect(stored.case.stepDueAt == Timestamps.parse("2027-01-01T00:00:00+08:00"))
            #expect(stored.case.dueAt == nil)
            #expect(stored.case.timeLimitProblem?.contains("2027") == true)
        }
    }

    @Test func malformedUTF8InTheBodyIsA400() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            var bytes = Array("api_key=\(key)&service_code=road.ponding&lat=31.23&long=121.47&description=".utf8)
            bytes += [0xE6, 0xB0, 0xFF, 0xFE]  // a truncated 水 followed by bytes that are never UTF-8
            try await app.testing().test(
                .POST, "/open311/v2/requests.json",
                beforeRequest: { req in
                    req.headers.contentType = .urlEncodedForm
                    req.body = ByteBuffer(bytes: bytes)
                }
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("UTF-8"))
            }
            #expect(try await Report.query(on: app.db).count() == 0)
        }
    }

    @Test func malformedJSONToTheOperatorAPIIsA400() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(
                .POST, "/api/v1/sessions",
                beforeRequest: { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(string: "{\"username\": ")
                }
            ) { #expect($0.status == .badRequest) }
        }
    }

    @Test func regionsUnitsAndLocateEndpoints() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await TestApp.login(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(.GET, "/api/v1/regions?level=district", headers: .bearer(token)) { res in
                let regions = try res.content.decode([RegionDTO].self)
                #expect(regions.count == 16)
                #expect(regions.first?.code == "310101")
            }
            try await app.testing().test(.GET, "/api/v1/regions?parent=310115", headers: .bearer(token)) { res in
                let streets = try res.content.decode([RegionDTO].self)
                #expect(streets.count == 42)  // 浦东新区's streets/towns (NBS 2022)
            }
            try await app.testing().test(.GET, "/api/v1/regions?level=planet", headers: .bearer(token)) { res in
                #expect(res.status == .badRequest)
            }
            try await app.testing().test(.GET, "/api/v1/units?region=310115105", headers: .bearer(token)) { res in
                let kinds = try res.content.decode([UnitDTO].self).map(\.kind)
                #expect(kinds.contains("police") && kinds.contains("operations_centre"))
            }
            // 虹桥 is both 虹桥街道 (长宁) and 虹桥镇 (闵行): the operator gets both candidates.
            let query = "address=%E8%99%B9%E6%A1%A5%E8%B7%AF%E6%9F%90%E5%B0%8F%E5%8C%BA"  // 虹桥路某小区
            try await app.testing().test(.GET, "/api/v1/regions/locate?\(query)", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
                let located = try res.content.decode(LocatedDTO.self)
                #expect(located.candidates.count == 2)
            }
            try await app.testing().test(.GET, "/api/v1/regions/locate?lat=30.26&long=120.14", headers: .bearer(token))
            { res in
                #expect(res.status == .badRequest)
            }
        }
    }
}
