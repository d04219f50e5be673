import CityDomain
import Foundation
import Open311
import Testing
import Vapor
import VaporTesting

@testable import App

/// `/openapi.json` against the server that serves it: the document parses and is internally sound, its enums are
/// the server's own types, and its limits are where the server draws them (each probed at the limit and one past
/// it), so that neither can drift from the other silently. `Tests/Schema/run_schemathesis.sh` checks the rest
/// against a live server.
@Suite struct APIDescriptionTests {
    /// The served document, parsed.
    static func document(_ app: Application) async throws -> OpenAPIDocument {
        var document: OpenAPIDocument?
        try await app.testing().test(.GET, "/openapi.json") { res in
            #expect(res.status == .ok)
            #expect(res.headers.contentType == .json)
            document = try OpenAPIDocument(Data(buffer: res.body))
        }
        return try #require(document)
    }

    @Test func servedDocumentIsSoundOpenAPI3() async throws {
        try await TestApp.withApp { app, _ in
            let doc = try await Self.document(app)
            #expect(doc.root["openapi"] as? String == "3.0.3")
            #expect(doc.string(at: "info", "version") == cityNetVersion)
            for reference in doc.references() {
                #expect(doc.resolve(reference) != nil, "unresolved \(reference)")
            }
            for operation in doc.operations {
                let responses = Set(operation.responses)
                #expect(responses.contains { $0.hasPrefix("2") } || operation.path.contains("tokens"), "\(operation)")
                if operation.secured { #expect(responses.contains("401"), "\(operation) has no 401") }
                if operation.takesInput { #expect(responses.contains("400"), "\(operation) has no 400") }
                if operation.hasBody, !operation.path.hasPrefix("/open311") {
                    #expect(responses.isSuperset(of: ["413"]), "\(operation) has no 413")
                }
                for parameter in operation.parameters where parameter["name"] as? String == "format" {
                    let values = (parameter["schema"] as? [String: Any])?["enum"] as? [String]
                    #expect(values.map(Set.init) == Set(Open311Format.allCases.map(\.rawValue)), "\(operation)")
                }
            }
        }
    }

    /// Every documented operation is a route, and every route of the API and Open311 is documented (Open311's
    /// resources are routed by suffix, so they are compared with the methods its controller answers).
    @Test func documentedPathsAndRoutesAgree() async throws {
        try await TestApp.withApp { app, _ in
            let doc = try await Self.document(app)
            var documented: Set<String> = []
            for operation in doc.operations {
                documented.insert("\(operation.method) \(operation.path)")
                let concrete = OpenAPIDocument.concretePath(operation.path)
                if operation.path.hasPrefix("/open311/v2/") {
                    let allowed = Open311Controller.allowedMethods(path: concrete) ?? []
                    #expect(allowed.contains(operation.method), "\(operation) is not answered by Open311Controller")
                } else {
                    let methods = MethodNotAllowedMiddleware.methods(of: concrete, in: app.routes)
                    #expect(methods.contains(operation.method), "\(operation) has no route")
                }
            }
            for route in app.routes.all {
                let path = "/" + route.path.map(\.description).joined(separator: "/")
                guard path.hasPrefix("/api/") || ["/health", "/metrics", "/openapi.json"].contains(path) else {
                    continue  // the console's HTML pages, and Open311 (checked above)
                }
                let spec = path.replacingOccurrences(of: ":caseID", with: "{id}")
                    .replacingOccurrences(of: ":id", with: "{id}")
                    .replacingOccurrences(of: ":reportID", with: "{report_id}")
                    .replacingOccurrences(of: ":photoID", with: "{photoID}")
                    .replacingOccurrences(of: ":sensor_id", with: "{sensor_id}")
                    .replacingOccurrences(of: ":alarm_id", with: "{alarm_id}")
                    .replacingOccurrences(of: ":sensorID", with: "{sensor_id}")
                    .replacingOccurrences(of: ":alarmID", with: "{alarm_id}")
                    .replacingOccurrences(of: ":code", with: "{code}")
                    .replacingOccurrences(of: ":task_id", with: "{task_id}").replacingOccurrences(
                        of: ":step", with: "{step}"
                    )
                    .replacingOccurrences(of: ":source", with: "{source}")
                    .replacingOccurrences(of: ":version", with: "{version}")
                #expect(
                    documented.contains("\(route.method.rawValue) \(spec)"), "\(route.method) \(path) is undocumented")
            }
        }
    }

    @Test func enumsAreTheServersTypes() async throws {
        try await TestApp.withApp { app, _ in
            let doc = try await Self.document(app)
            let expected: [([String], [String])] = [
                (["CaseSummary", "state"], CaseState.allCases.map(\.rawValue)),
                (["CaseEvent", "to_state"], CaseState.allCases.map(\.rawValue)),
                (["CaseEvent", "from_state"], CaseState.allCases.map(\.rawValue)),
                (["Open311ExtendedAttributes", "detailed_status"], CaseState.allCases.map(\.rawValue)),
                (["CaseAction", "action"], CaseAction.allCases.map(\.rawValue)),
                (["CaseActionForm", "action"], CaseAction.allCases.map(\.rawValue)),
                (["CaseDetail", "allowed_actions"], CaseAction.allCases.map(\.rawValue)),
                (["Session", "role"], OperatorRole.allCases.map(\.rawValue)),
                (["HotlineCall", "channel"], HotlineChannel.allCases.map(\.rawValue)),
                (["HotlineReport", "channel"], HotlineChannel.allCases.map(\.rawValue)),
                (["HotlineReport", "triage_state"], HotlineTriageState.allCases.map(\.rawValue)),
                (["Region", "level"], RegionLevel.allCases.map(\.rawValue)),
                (["Category", "responsible_level"], RegionLevel.allCases.map(\.rawValue)),
                (["Unit", "kind"], UnitKind.allCases.map(\.rawValue)),
                (["Category", "responsible_kind"], UnitKind.allCases.map(\.rawValue)),
                (["CaseSummary", "priority"], CasePriority.allCases.map(\.rawValue)),
                (["Category", "priority"], CasePriority.allCases.map(\.rawValue)),
                (["CaseSummary", "step"], CaseStep.allCases.map(\.rawValue)),
                (["Category", "clock"], HourClock.allCases.map(\.rawValue)),
                (["TimeLimit", "unit"], TimeLimitUnit.allCases.map(\.rawValue)),
                (["Open311Request", "status"], Open311Status.allCases.map(\.rawValue)),
                (
                    ["Health", "database"],
                    [AppConfig.Storage.sqliteMemory.kind, AppConfig.Storage.postgres(url: "", searchPath: nil).kind]
                ),
            ]
            for (path, values) in expected {
                #expect(doc.propertyEnum(path[0], path[1]) == values, "\(path)")
            }
            let parameters: [(String, String, String, [String])] = [
                ("get", "/api/v1/cases", "state", CaseState.allCases.map(\.rawValue)),
                ("get", "/api/v1/regions", "level", RegionLevel.allCases.map(\.rawValue)),
                ("get", "/api/v1/units", "kind", UnitKind.allCases.map(\.rawValue)),
            ]
            for (method, path, name, values) in parameters {
                #expect(doc.parameterEnum(method, path, name) == values, "\(path) \(name)")
            }
        }
    }

    /// Limits the server keeps as named constants are the document's.
    @Test func limitsAreTheServersConstants() async throws {
        try await TestApp.withApp { app, _ in
            let doc = try await Self.document(app)
            #expect(doc.property("HotlineCall", "text")?["maxLength"] as? Int == TextRules.maxDescriptionLength)
            #expect(
                doc.property("Open311Submission", "description")?["maxLength"] as? Int
                    == Open311RequestSubmission.maximumDescriptionLength)
            #expect(doc.property("CaseAction", "extension_days")?["minimum"] as? Int == 1)
            #expect(doc.property("CaseAction", "extension_days")?["maximum"] as? Int == CaseRules.maxExtensionDays)
            #expect(doc.property("CaseActionForm", "photos[]")?["maxItems"] as? Int == PhotoUpload.maxCount)
            let open311Limit = try #require(doc.parameter("get", "/open311/v2/requests.{format}", "limit"))
            let pattern = try #require((open311Limit["schema"] as? [String: Any])?["pattern"] as? String)
            let maximum = Open311RequestQuery.maximumLimit
            for (text, valid) in [
                ("1", true), ("\(maximum)", true), ("\(maximum + 1)", false), ("0", false), ("", true),
            ] {
                #expect((text.wholeMatch(of: try Regex(pattern)) != nil) == valid, "limit '\(text)'")
            }
            let lat = try #require(doc.parameter("get", "/api/v1/regions/locate", "lat")?.schemaBounds)
            let long = try #require(doc.parameter("get", "/api/v1/regions/locate", "long")?.schemaBounds)
            #expect(lat == (-90, 90) && long == (-180, 180))
            #expect(throws: GeoError.self) { try GeoPoint(latitude: 90.000_001, longitude: 0) }
            #expect(throws: GeoError.self) { try GeoPoint(latitude: 0, longitude: -180.000_001) }
            _ = try GeoPoint(latitude: -90, longitude: 180)
        }
    }

    /// Each documented length limit accepts a text of exactly that many characters and refuses one more with a 400
    /// that names the field.
    @Test func lengthLimitsAreWhereTheServerDrawsThem() async throws {
        try await TestApp.withApp { app, _ in
            let doc = try await Self.document(app)
            let token = try await TestApp.login(
                app, username: "limits.city", unit: "310000.operations_centre", role: .cityOperator)
            let key = try await TestApp.apiKey(app)
            let caseID = try await Self.openCase(app, key: key)

            func jsonProbe(
                _ method: HTTPMethod, _ path: String, _ body: @escaping @Sendable (String) -> [String: String]
            )
                -> @Sendable (String) async throws -> (HTTPStatus, String)
            {
                { text in
                    var result: (HTTPStatus, String) = (.ok, "")
                    try await app.testing().test(
                        method, path, headers: .bearer(token),
                        beforeRequest: { req in try req.content.encode(body(text), as: .json) },
                        afterResponse: { res in result = (res.status, res.body.string) })
                    return result
                }
            }
            let probes:
                [(schema: String, field: String, probe: @Sendable (String) async throws -> (HTTPStatus, String))] = [
                    (
                        "HotlineCall", "text",
                        jsonProbe(.POST, "/api/v1/hotline/reports") { ["text": $0, "channel": "phone"] }
                    ),
                    (
                        "HotlineCall", "address",
                        jsonProbe(.POST, "/api/v1/hotline/reports") {
                            ["text": "噪音", "channel": "phone", "address": $0]
                        }
                    ),
                    (
                        "HotlineCall", "caller_name",
                        jsonProbe(.POST, "/api/v1/hotline/reports") {
                            ["text": "噪音", "channel": "phone", "caller_name": $0]
                        }
                    ),
                    (
                        "CaseAction", "note",
                        jsonProbe(.POST, "/api/v1/cases/\(caseID)/actions") { ["action": "escalate", "note": $0] }
                    ),
                    (
                        "SplitReport", "note",
                        jsonProbe(.POST, "/api/v1/cases/\(caseID)/reports/999/split") { ["note": $0] }
                    ),
                    ("TriageDecision", "note", jsonProbe(.POST, "/api/v1/triage/999") { ["note": $0] }),
                ]
            for (schema, field, probe) in probes {
                let maximum = try #require(doc.property(schema, field)?["maxLength"] as? Int, "\(schema).\(field)")
                let (atLimit, atLimitBody) = try await probe(String(repeating: "a", count: maximum))
                #expect(
                    !(atLimit == .badRequest && atLimitBody.contains(field)),
                    "\(schema).\(field) at \(maximum): \(atLimitBody)")
                let (over, overBody) = try await probe(String(repeating: "a", count: maximum + 1))
                #expect(
                    over == .badRequest && overBody.contains(field), "\(schema).\(field) at \(maximum + 1): \(overBody)"
                )
            }
            // Open311's form: every field the document bounds.
            let submission = try #require(doc.schema("Open311Submission")?["properties"] as? [String: [String: Any]])
            for (field, schema) in submission.sorted(by: { $0.key < $1.key }) {
                guard let maximum = schema["maxLength"] as? Int else { continue }
                let filler: (Int) -> String = { count in
                    switch field {
                    case "email": String(repeating: "a", count: count - 6) + "@a.com"
                    case "media_url": "https://a.cn/" + String(repeating: "a", count: count - 13)
                    case "phone": String(repeating: "1", count: 3) + String(repeating: " ", count: count - 4) + "1"
                    default: String(repeating: "a", count: count)
                    }
                }
                for (count, refused) in [(maximum, false), (maximum + 1, true)] {
                    let fields = [
                        "api_key": key, "service_code": "road.ponding", "lat": "31.2304", "long": "121.4737",
                        field: filler(count),
                    ]
                    try await Open311IntakeTests.post(app, fields) { res in
                        let named = res.body.string.contains(field)
                        #expect(
                            (res.status == .badRequest && named) == refused, "\(field) at \(count): \(res.body.string)")
                    }
                }
            }
        }
    }

    /// Numeric bounds of the operators' API: the bound is accepted, one past it refused with a 400.
    @Test func numericBoundsAreWhereTheServerDrawsThem() async throws {
        try await TestApp.withApp { app, _ in
            let doc = try await Self.document(app)
            let token = try await TestApp.login(
                app, username: "bounds.city", unit: "310000.operations_centre", role: .cityOperator)
            let key = try await TestApp.apiKey(app)
            let caseID = try await Self.openCase(app, key: key)
            for path in ["/api/v1/cases", "/api/v1/triage"] {
                for name in ["limit", "offset"] {
                    let (low, high) = try #require(doc.parameter("get", path, name)?.schemaBounds, "\(path) \(name)")
                    for (value, status) in [
                        (low, HTTPStatus.ok), (high, .ok), (low - 1, .badRequest), (high + 1, .badRequest),
                    ] {
                        try await app.testing().test(.GET, "\(path)?\(name)=\(Int(value))", headers: .bearer(token)) {
                            #expect($0.status == status, "\(path)?\(name)=\(Int(value))")
                        }
                    }
                }
            }
            let (low, high) = try #require(doc.property("CaseAction", "extension_days")?.bounds)
            for (days, refused) in [(low, false), (high, false), (low - 1, true), (high + 1, true)] {
                try await app.testing().test(
                    .POST, "/api/v1/cases/\(caseID)/actions", headers: .bearer(token),
                    beforeRequest: { req in
                        try req.content.encode(
                            CaseActionInput.ActionBody(
                                action: "request_extension", note: "雨天", extensionDays: Int(days)))
                    }
                ) { res in
                    #expect(
                        (res.status == .badRequest && res.body.string.contains("extension_days")) == refused,
                        "\(days): \(res.body.string)")
                }
            }
            for (query, status) in [
                ("lat=-90&long=180", HTTPStatus.ok), ("lat=90.0001&long=121", .badRequest),
                ("lat=31&long=-180.0001", .badRequest),
            ] {
                try await app.testing().test(.GET, "/api/v1/regions/locate?\(query)", headers: .bearer(token)) { res in
                    if status == .ok {
                        #expect(!res.body.string.contains("Invalid WGS84 coordinate"), "\(query): \(res.body.string)")
                    } else {
                        #expect(res.status == status, "\(query)")
                    }
                }
            }
        }
    }

    /// A dispatched case opened through Open311; returns its id.
    static func openCase(_ app: Application, key: String) async throws -> Int {
        var id = 0
        try await Open311IntakeTests.post(
            app, ["api_key": key, "service_code": "road.ponding", "lat": "31.2304", "long": "121.4737"]
        ) { res in
            #expect(res.status == .created)
            let created = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [[String: Any]]
            id = Int(created?.first?["service_request_id"] as? String ?? "") ?? 0
        }
        let report = try #require(try await Report.find(id, on: app.db))
        return try #require(report.caseID)
    }
}

/// A parsed OpenAPI document, navigated by component and operation.
struct OpenAPIDocument {
    struct Operation: CustomStringConvertible {
        let method: String
        let path: String
        let object: [String: Any]
        let secured: Bool
        var responses: [String] { Array((object["responses"] as? [String: Any] ?? [:]).keys) }
        var parameters: [[String: Any]] { object["parameters"] as? [[String: Any]] ?? [] }
        var hasBody: Bool { object["requestBody"] != nil }
        var takesInput: Bool { hasBody || !parameters.isEmpty }
        var description: String { "\(method) \(path)" }
    }

    let root: [String: Any]

    init(_ data: Data) throws {
        root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func string(at keys: String...) -> String? {
        var node: Any? = root
        for key in keys { node = (node as? [String: Any])?[key] }
        return node as? String
    }

    var operations: [Operation] {
        let globalSecurity = !((root["security"] as? [Any]) ?? []).isEmpty
        var result: [Operation] = []
        for (path, item) in (root["paths"] as? [String: [String: Any]] ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (method, value) in item.sorted(by: { $0.key < $1.key }) {
                guard let object = value as? [String: Any] else { continue }
                let security = (object["security"] as? [Any]).map { !$0.isEmpty } ?? globalSecurity
                result.append(Operation(method: method.uppercased(), path: path, object: object, secured: security))
            }
        }
        return result
    }

    /// `path` with a sample value in each template: ids 1, formats json, other names x.
    static func concretePath(_ path: String) -> String {
        path.replacingOccurrences(of: "{format}", with: "json").replacingOccurrences(of: "{id}", with: "1")
            .replacingOccurrences(of: "{report_id}", with: "1").replacing(#/\{[A-Za-z_]+\}/#, with: "x")
    }

    func schema(_ name: String) -> [String: Any]? {
        ((root["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any]
    }

    func property(_ schema: String, _ name: String) -> [String: Any]? {
        (self.schema(schema)?["properties"] as? [String: Any])?[name] as? [String: Any]
    }

    /// The `enum` of a property, or of its items when it is an array.
    func propertyEnum(_ schema: String, _ name: String) -> [String]? {
        guard let property = property(schema, name) else { return nil }
        return (property["enum"] ?? (property["items"] as? [String: Any])?["enum"]) as? [String]
    }

    func parameter(_ method: String, _ path: String, _ name: String) -> [String: Any]? {
        let operation = operations.first { $0.method == method.uppercased() && $0.path == path }
        return operation?.parameters.first { $0["name"] as? String == name }
    }

    func parameterEnum(_ method: String, _ path: String, _ name: String) -> [String]? {
        let schema = parameter(method, path, name)?["schema"] as? [String: Any]
        return (schema?["enum"] ?? (schema?["items"] as? [String: Any])?["enum"]) as? [String]
    }

    /// Every `$ref` in the document.
    func references() -> [String] {
        var found: [String] = []
        func walk(_ node: Any) {
            if let object = node as? [String: Any] {
                if let reference = object["$ref"] as? String { found.append(reference) }
                object.values.forEach(walk)
            } else if let array = node as? [Any] {
                array.forEach(walk)
            }
        }
        walk(root)
        return found
    }

    /// The node a local `$ref` (`#/components/…`) points at.
    func resolve(_ reference: String) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any? = root
        for key in reference.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(key)] }
        return node
    }
}

extension Dictionary where Key == String, Value == Any {
    /// `minimum` and `maximum` of this schema.
    var bounds: (Double, Double)? {
        guard let low = (self["minimum"] as? NSNumber)?.doubleValue,
            let high = (self["maximum"] as? NSNumber)?.doubleValue
        else { return nil }
        return (low, high)
    }

    /// `minimum` and `maximum` of this parameter's schema.
    var schemaBounds: (Double, Double)? { (self["schema"] as? [String: Any])?.bounds }
}
