import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Guard rails found by trying to break the server: each refuses with a clear 4xx and changes nothing.
@Suite struct GuardRailTests {
    typealias API = CaseWorkflowAPITests

    @Test func reassigningToTheSameUnitIsRefused() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await API.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let centre = try await TestApp.login(
                app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)
            try await API.act(app, token: centre, caseID: id, ["action": "reassign", "unit_code": "310115.water"]) {
                res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("already with"))
            }
        }
    }

    @Test func anExtensionTheCalendarCannotCountIsRefused() async throws {
        // Fri 2026-11-27: renovation noise runs on working days; 30 more working days need the 2027 table.
        try await TestApp.withApp(now: Timestamps.parse("2026-11-27T10:00:00+08:00")!) { app, _ in
            let id = try await API.register(app, category: "noise.renovation", lat: 31.2397, long: 121.4998)
            let before = try #require(try await Case.find(id, on: app.db))
            #expect(before.dueAt != nil)
            let worker = try await TestApp.login(app, username: "ljz.housing", unit: before.unitCode, role: .caseworker)
            let centre = try await TestApp.login(
                app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)
            try await API.act(app, token: worker, caseID: id, ["action": "request_extension", "note": "需协调业委会"]) {
                #expect($0.status == .ok)
            }
            try await app.testing().test(
                .POST, "/api/v1/cases/\(id)/actions", headers: .bearer(centre),
                beforeRequest: { req in
                    try req.content.encode(CaseActionInput.ActionBody(action: "approve_extension", extensionDays: 30))
                }
            ) { res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("2027"))
            }
            let after = try #require(try await Case.find(id, on: app.db))
            #expect(after.dueAt == before.dueAt)
            #expect(after.extensionDays == 0)
        }
    }

    @Test func rolesMustFitTheirUnit() async throws {
        try await TestApp.withApp { app, _ in
            for (unit, role) in [
                ("310115.urban_management", OperatorRole.cityOperator), ("310115.operations_centre", .caseworker),
                ("310115105.operations_centre", .districtOperator), ("310115.water", .administrator),
            ] {
                await #expect(throws: AccessError.self) {
                    _ = try await Access.createOperator(
                        username: "someone", password: "long enough pw", unitCode: unit, role: role,
                        reference: app.reference, on: app.db, now: app.clock.now())
                }
            }
            await #expect(throws: AccessError.weakPassword) {
                _ = try await Access.createOperator(
                    username: "spaces", password: String(repeating: " ", count: 12), unitCode: "310115.water",
                    role: .caseworker, reference: app.reference, on: app.db, now: app.clock.now())
            }
            let operators = try await Operator.query(on: app.db).count()
            #expect(operators == 0)
        }
    }

    @Test func unauthenticatedRequestsAreToldWhatToDo() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.GET, "/api/v1/cases") { res in
                #expect(res.status == .unauthorized)
                #expect(res.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
                #expect(res.body.string.contains("POST /api/v1/sessions"))
            }
            try await app.testing().test(.GET, "/api/v1/cases", headers: .bearer("garbage")) { res in
                #expect(res.status == .unauthorized)
                #expect(res.body.string.contains("invalid or expired"))
            }
        }
    }

    @Test func percentEscapesThatAreNotUTF8AreRefused() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            try await app.testing().test(
                .POST, "/open311/v2/requests.json",
                beforeRequest: { req in
                    req.headers.contentType = .urlEncodedForm
                    req.body = ByteBuffer(
                        string: "api_key=\(key)&service_code=road.ponding&lat=31.23&long=121.47&description=%FF%FEabc")
                }
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("UTF-8"))
            }
            #expect(try await Report.query(on: app.db).count() == 0)
        }
    }

    @Test func categoryEditsAreCheckedForMarkupAndAbsurdLimits() async throws {
        try await TestApp.withApp { app, _ in
            var category = try #require(app.reference.taxonomy["road.ponding"])
            category.nameZh = "<script>x</script>"
            #expect(throws: Abort.self) { try CategoryStore.check(category) }
            category = try #require(app.reference.taxonomy["road.ponding"])
            category.limits?.handle = TimeLimit(value: 99_999_999, unit: .hours)
            #expect(throws: Abort.self) { try CategoryStore.check(category) }
        }
    }

    @Test func aGridCellMustLieInItsParentsDistrict() async throws {
        try await TestApp.withApp { app, _ in
            // A cell over Lujiazui (浦东) claiming a Huangpu street as its parent.
            let misplaced = ReferenceDataTests.gridCell.replacingOccurrences(
                of: "\"parent\":\"310115105\"", with: "\"parent\":\"310101002\"")
            await #expect(throws: CommandFailure.self) {
                _ = try await RegionImport.run(
                    data: Data(misplaced.utf8), codeProperty: "code", app: app, now: app.clock.now())
            }
            let boundaries = try await RegionBoundaryRow.query(on: app.db).count()
            #expect(boundaries == 0)
        }
    }
}

/// The operator API names the bad field; Open311 answers a wrong method on a real resource with 405.
@Suite struct ProtocolErrorTests {
    @Test func malformedActionBodiesNameTheField() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let centre = try await TestApp.login(
                app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(
                .POST, "/api/v1/cases/\(id)/actions", headers: .bearer(centre),
                beforeRequest: { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(string: "{}")
                }
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("missing field 'action'"))
            }
            try await app.testing().test(
                .POST, "/api/v1/cases/\(id)/actions", headers: .bearer(centre),
                beforeRequest: { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(string: #"{"action":"approve_extension","extension_days":1.5}"#)
                }
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("extension_days"))
            }
            // A JSON array or number, and bytes that are not UTF-8, are named for what they are.
            for (body, message) in [
                (ByteBuffer(string: #"[{"action":"escalate"}]"#), "must be a JSON object"),
                (ByteBuffer(string: "42"), "must be a JSON object"),
                (ByteBuffer(), "the request body is empty"),
                (
                    ByteBuffer(bytes: Array(#"{"action":"esc"#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)),
                    "not valid UTF-8"
                ),
            ] {
                try await app.testing().test(
                    .POST, "/api/v1/cases/\(id)/actions", headers: .bearer(centre),
                    beforeRequest: { req in
                        req.headers.contentType = .json
                        req.body = body
                    }
                ) { res in
                    #expect(res.status == .badRequest)
                    #expect(res.body.string.contains(message))
                }
            }
            try await app.testing().test(.GET, "/api/v1/cases?overdue=maybe", headers: .bearer(centre)) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("overdue"))
            }
        }
    }

    @Test func extensionDaysAskedForAreGrantedByDefault() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await CaseWorkflowAPITests.register(
                app, category: "road.damaged", lat: 31.2397, long: 121.4998)
            let worker = try await TestApp.login(
                app, username: "pd.road", unit: "310115.road_maintenance", role: .caseworker)
            let centre = try await TestApp.login(
                app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(
                .POST, "/api/v1/cases/\(id)/actions", headers: .bearer(worker),
                beforeRequest: { req in
                    try req.content.encode(
                        CaseActionInput.ActionBody(action: "request_extension", note: "等沥青", extensionDays: 31))
                }
            ) { #expect($0.status == .badRequest) }
            try await app.testing().test(
                .POST, "/api/v1/cases/\(id)/actions", headers: .bearer(worker),
                beforeRequest: { req in
                    try req.content.encode(
                        CaseActionInput.ActionBody(action: "request_extension", note: "等沥青", extensionDays: 2))
                }
            ) { #expect($0.status == .ok) }
            let before = try #require(try await Case.find(id, on: app.db))
            try await app.testing().test(
                .POST, "/api/v1/cases/\(id)/actions", headers: .bearer(centre),
                beforeRequest: { req in
                    try req.content.encode(CaseActionInput.ActionBody(action: "approve_extension"))
                }
            ) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.extensionDays == 2)
                #expect(detail.requestedExtensionDays == nil)
            }
            let after = try #require(try await Case.find(id, on: app.db))
            #expect(after.dueAt! > before.dueAt!)
        }
    }

    @Test func wrongMethodOnAnOpen311ResourceIs405() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.PUT, "/open311/v2/requests.json") { res in
                #expect(res.status == .methodNotAllowed)
                #expect(res.headers.first(name: "Allow") == "GET, POST")
                #expect(res.body.string.contains("\"code\" : 405"))
            }
            try await app.testing().test(
                .POST, "/open311/v2/services.xml",
                beforeRequest: { req in
                    req.headers.contentType = .urlEncodedForm
                    req.body = ByteBuffer(string: "a=b")
                }
            ) { res in
                #expect(res.status == .methodNotAllowed)
                #expect(res.body.string.contains("<code>405</code>"))
            }
            try await app.testing().test(.DELETE, "/open311/v2/nothing.json") { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func apiKeyNamesAreUniqueAmongLiveKeys() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await Access.createAPIKey(
                name: "12345 gateway", scopes: [.hotline], on: app.db, now: app.clock.now())
            await #expect(throws: AccessError.nameTaken("12345 gateway")) {
                _ = try await Access.createAPIKey(
                    name: "12345 gateway", scopes: [.hotline], on: app.db, now: app.clock.now())
            }
        }
    }
}

@Suite struct DigestTests {
    /// SHA-256("abc") from FIPS 180-2, appendix B.1.
    @Test func digestIsLowerCaseHexSHA256() {
        #expect(Access.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
