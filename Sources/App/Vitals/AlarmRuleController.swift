import CityDomain
import Foundation
import SQLKit
import Vapor

/// Alarm rules for signed-in operators (CityNet issue 11 §3): `GET /api/v1/alarm-rules` (every rule, disabled ones
/// included), `POST /api/v1/alarm-rules`, `PUT /api/v1/alarm-rules/{code}`, `POST .../{code}/disable`,
/// `POST .../{code}/enable` and `GET .../{code}/history`.
///
/// Changes are for operations-centre operators within their region: a district centre may only make or change rules
/// scoped to its district (or below) or to its sensors, the city centre any (others: 403; an existing rule outside
/// the operator's region: 403). Every change writes a new version (`alarm_rules.version`) and an audit event with
/// the rule before and after (`alarm_rule_events`), and makes this node's next batch use the new rule. Readings
/// stored before the change are evaluated under the old rule first. Alarms keep the version they were raised under
/// (`alarms.rule_version`); a change of thresholds or a disable never clears an active alarm: it stays until its
/// (new) clear condition holds or it is cleared by hand. A disabled rule raises nothing new but is still evaluated
/// for clearing, so its active alarms end when the readings say so. A change of scope that leaves a sensor out clears
/// that sensor's active alarm of the rule in the operator's name (the rule no longer watches it, so nothing else
/// would); so does a change of the kind or attribute watched, for every active alarm of the rule. A change of what
/// the rule evaluates, and an enable, restart every sensor's run under it
/// (``AlarmRuleStore/restartRuns(ruleCode:on:)``), and no late reading is replayed back across it.
struct AlarmRuleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let rules = routes.grouped("alarm-rules")
        rules.get(use: list)
        rules.on(.POST, body: .collect(maxSize: "16kb"), use: create)
        rules.on(.PUT, ":code", body: .collect(maxSize: "16kb"), use: update)
        rules.on(.POST, ":code", "disable", body: .collect(maxSize: "4kb")) { req in
            try await Self.setEnabled(false, req: req)
        }
        rules.on(.POST, ":code", "enable", body: .collect(maxSize: "4kb")) { req in
            try await Self.setEnabled(true, req: req)
        }
        rules.get(":code", "history", use: history)
    }

    /// `GET /api/v1/alarm-rules` — every rule, disabled ones included, in code order.
    @Sendable func list(req: Request) async throws -> [AlarmRuleDTO] {
        try await AlarmRuleStore.load(includeDisabled: true, on: try req.db.sql()).map(AlarmRuleDTO.init)
    }

    /// `POST /api/v1/alarm-rules` — creates an enabled rule at version 1: 201 with the rule; 422 with the field
    /// errors; 409 when the code is taken.
    @Sendable func create(req: Request) async throws -> Response {
        let scope = try Self.centre(req)
        let body = try req.content.decode(AlarmRuleBody.self)
        let rule: AlarmRule
        switch try await Self.validate(body, code: body.code ?? "", scope: scope, req: req) {
        case .invalid(let errors):
            return try await AlarmRuleErrorsDTO(errors).encodeResponse(status: .unprocessableEntity, for: req)
        case .valid(let valid): rule = valid
        }
        let nowMS = VitalsTime.ms(req.now)
        let cache = req.application.vitalsCache
        try await req.application.writeGate.exclusive { db in
            let sql = try db.sql()
            guard try await AlarmRuleStore.insert(rule, on: sql) else {
                throw Abort(.conflict, reason: "alarm rule \(rule.code) exists")
            }
            try await AlarmRuleStore.event(
                ruleCode: rule.code, version: rule.version, atMS: nowMS, action: "create", actor: scope.username,
                before: nil, after: AlarmRuleDTO(rule), on: sql)
            cache.forgetRules()
        }
        cache.forgetRules()
        return try await AlarmRuleDTO(rule).encodeResponse(status: .created, for: req)
    }

    /// `PUT /api/v1/alarm-rules/{code}` — replaces the rule (enabled or not as before) with the body, as version
    /// n + 1: 200 with the rule; 422 with the field errors; 404 unknown rule; 403 not a centre or the rule outside
    /// the operator's region.
    @Sendable func update(req: Request) async throws -> Response {
        let scope = try Self.centre(req)
        let code = try Self.code(req)
        let body = try req.content.decode(AlarmRuleBody.self)
        if let bodyCode = body.code, bodyCode != code {
            let error = AlarmRuleDraft.FieldError(
                field: "code", code: "code_mismatch", message: "code '\(bodyCode)' differs from the path's '\(code)'")
            return try await AlarmRuleErrorsDTO([error]).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let current = try await Self.target(code, scope: scope, req: req)
        let rule: AlarmRule
        switch try await Self.validate(body, code: code, scope: scope, req: req) {
        case .invalid(let errors):
            return try await AlarmRuleErrorsDTO(errors).encodeResponse(status: .unprocessableEntity, for: req)
        case .valid(let valid): rule = valid.at(version: current.version + 1, enabled: current.enabled)
        }
        try await Self.write(rule, action: "update", over: current, scope: scope, req: req)
        return try await AlarmRuleDTO(rule).encodeResponse(for: req)
    }

    /// `POST /api/v1/alarm-rules/{code}/disable` and `/enable` — a new version with the rule off or on; doing it
    /// twice changes nothing more (no version, no event). 404 unknown rule; 403 as for an update.
    static func setEnabled(_ enabled: Bool, req: Request) async throws -> AlarmRuleDTO {
        let scope = try Self.centre(req)
        let current = try await Self.target(try Self.code(req), scope: scope, req: req)
        guard current.enabled != enabled else { return AlarmRuleDTO(current) }
        let rule = current.at(version: current.version + 1, enabled: enabled)
        try await Self.write(rule, action: enabled ? "enable" : "disable", over: current, scope: scope, req: req)
        return AlarmRuleDTO(rule)
    }

    /// `GET /api/v1/alarm-rules/{code}/history` — every change of the rule, oldest first. 404 unknown rule.
    @Sendable func history(req: Request) async throws -> [AlarmRuleEventDTO] {
        let code = try Self.code(req)
        let sql = try req.db.sql()
        guard try await AlarmRuleStore.find(code, on: sql) != nil else {
            throw Abort(.notFound, reason: "alarm rule \(code) not found")
        }
        let decoder = JSONDecoder()
        return try await sql.select().column("*").from("alarm_rule_events").where("rule_code", .equal, code)
            .orderBy("id").all().map { row in
                AlarmRuleEventDTO(
                    id: Int(try row.decode(column: "id", as: Int64.self)),
                    at: VitalsTime.date(try row.decode(column: "at_ms", as: Int64.self)),
                    action: try row.decode(column: "action", as: String.self),
                    actor: try row.decode(column: "actor", as: String.self),
                    version: Int(try row.decode(column: "version", as: Int64.self)),
                    before: try row.decode(column: "before", as: String?.self).map {
                        try decoder.decode(AlarmRuleDTO.self, from: Data($0.utf8))
                    },
                    after: try decoder.decode(
                        AlarmRuleDTO.self, from: Data(try row.decode(column: "after", as: String.self).utf8)))
            }
    }

    /// Writes a new version over `current` with its audit event, restarting runs when the rule now evaluates
    /// differently or is enabled again, and forgets the cached rules and states.
    /// - Throws: 409 when the rule changed concurrently (nothing written).
    private static func write(
        _ rule: AlarmRule, action: String, over current: AlarmRule, scope: OperatorScope, req: Request
    ) async throws {
        let nowMS = VitalsTime.ms(req.now)
        let cache = req.application.vitalsCache
        let store = AlarmController.store(req)
        let hierarchy = req.reference.hierarchy
        try await req.application.writeGate.exclusive { db in
            let sql = try db.sql()
            guard try await AlarmRuleStore.update(rule, fromVersion: current.version, on: sql)
            else { throw Abort(.conflict, reason: "alarm rule \(rule.code) changed meanwhile; read it again") }
            let watchesTheSame = rule.sensorKind == current.sensorKind && rule.attribute == current.attribute
            if !watchesTheSame || rule.scope != current.scope {
                try await Self.clearLeftOut(
                    rule, all: !watchesTheSame, hierarchy: hierarchy, by: scope.username, nowMS: nowMS,
                    store: store(sql), on: sql)
            }
            if rule.evaluatesDifferently(from: current) || (rule.enabled && !current.enabled) {
                try await AlarmRuleStore.restartRuns(ruleCode: rule.code, on: sql)
            }
            try await AlarmRuleStore.event(
                ruleCode: rule.code, version: rule.version, atMS: nowMS, action: action, actor: scope.username,
                before: AlarmRuleDTO(current), after: AlarmRuleDTO(rule), on: sql)
            cache.forgetRules()
            cache.forgetAllStates()
        }
        cache.forgetRules()
        cache.forgetAllStates()
    }

    /// Clears the active alarms of `rule` whose sensors its (new) scope no longer covers — every one when `all` (the
    /// rule now watches another kind or attribute than the one that raised them) — by `actor`, with a note, and
    /// restarts those sensors' progress under the rule. On PostgreSQL each sensor's evaluator lock is taken first
    /// (in sensor order, as ingestion takes them), so a concurrent batch cannot write its older state over this.
    private static func clearLeftOut(
        _ rule: AlarmRule, all: Bool, hierarchy: RegionHierarchy, by actor: String, nowMS: Int64,
        store: AlarmStore, on sql: any SQLDatabase
    ) async throws {
        let rows = try await sql.select().column(SQLColumn("id", table: "alarms"))
            .column(SQLColumn("sensor_id", table: "alarms")).column(SQLColumn("region_code", table: "sensors"))
            .from("alarms")
            .join("sensors", on: SQLColumn("id", table: "sensors"), .equal, SQLColumn("sensor_id", table: "alarms"))
            .where(SQLColumn("rule_code", table: "alarms"), .equal, SQLBind(rule.code))
            .where(SQLColumn("status", table: "alarms"), .equal, SQLBind(AlarmStatus.active.rawValue))
            .orderBy(SQLColumn("sensor_id", table: "alarms")).all()
        for row in rows {
            let sensorID = try row.decode(column: "sensor_id", as: String.self)
            let chain = hierarchy.ancestors(of: try row.decode(column: "region_code", as: String.self)).map(\.code)
            guard all || !rule.covers(sensorID: sensorID, regionChain: chain) else { continue }
            try await sql.lockSensorEvaluator(sensorID)
            try await store.clear(
                alarmID: try row.decode(column: "id", as: Int64.self), atMS: nowMS, by: actor, nowMS: nowMS,
                note: "rule \(rule.code) version \(rule.version) no longer watches sensor \(sensorID)")
            let state = try await AlarmStateStore.load(sensorID: sensorID, ruleCode: rule.code, on: sql)
            try await AlarmStateStore.save(state.clearedByHand(), sensorID: sensorID, ruleCode: rule.code, on: sql)
        }
    }

    /// The operator, when they work for an operations centre. - Throws: 403 otherwise.
    private static func centre(_ req: Request) throws -> OperatorScope {
        let scope = try req.auth.require(OperatorScope.self)
        guard scope.worksForACentre else {
            throw Abort(.forbidden, reason: "only operations centres change alarm rules")
        }
        return scope
    }

    private static func code(_ req: Request) throws -> String {
        guard let code = req.parameters.get("code") else { throw Abort(.badRequest, reason: "rule code missing") }
        return code
    }

    /// The stored rule `code` when its scope lies within the operator's region.
    /// - Throws: 404 unknown rule, 403 a rule outside the operator's region.
    private static func target(_ code: String, scope: OperatorScope, req: Request) async throws
        -> AlarmRule
    {
        let sql = try req.db.sql()
        guard let current = try await AlarmRuleStore.find(code, on: sql) else {
            throw Abort(.notFound, reason: "alarm rule \(code) not found")
        }
        let hierarchy = req.reference.hierarchy
        let within: Bool
        switch current.scope {
        case .city: within = scope.regionCode == hierarchy.root.code
        case .region(let region): within = hierarchy.isWithin(region, ancestor: scope.regionCode)
        case .sensor(let id):
            let sensor = try await SensorRegistry.load([id], on: sql)[id]
            within = sensor.map { hierarchy.isWithin($0.regionCode, ancestor: scope.regionCode) } ?? false
        }
        guard within else { throw Abort(.forbidden, reason: "alarm rule \(code) is outside your region") }
        return current
    }

    /// Validates a body as ``validate(_:scope:req:)`` does its draft; fields the body lacks come first as
    /// `required` errors, in place of the draft's own errors for them.
    private static func validate(_ body: AlarmRuleBody, code: String, scope: OperatorScope, req: Request)
        async throws -> AlarmRuleDraft.Validated
    {
        let result = try await validate(body.draft(code: code), scope: scope, req: req)
        let missing = body.missing
        guard !missing.isEmpty else { return result }
        let absent = Set(missing.map(\.field))
        guard case .invalid(let errors) = result else { return .invalid(missing) }
        return .invalid(missing + errors.filter { !absent.contains($0.field) })
    }

    /// Validates a draft against the city's regions, sensors and categories and the operator's region.
    private static func validate(_ draft: AlarmRuleDraft, scope: OperatorScope, req: Request) async throws
        -> AlarmRuleDraft.Validated
    {
        var sensor: (kind: String, regionCode: String)?
        if case .sensor(let id) = AlarmScope(stored: draft.scope),
            let found = try await SensorRegistry.load([id], on: try req.db.sql())[id]
        {
            sensor = (found.kind.rawValue, found.regionCode)
        }
        let reference = req.reference
        let operatorRegion = scope.regionCode
        let known = sensor
        let context = AlarmRuleDraft.Context(
            regionExists: { reference.hierarchy.isWithin($0, ancestor: $0) },
            regionInScope: { reference.hierarchy.isWithin($0, ancestor: operatorRegion) },
            operatorIsCityWide: operatorRegion == reference.hierarchy.root.code,
            sensor: { id in draft.scope == "sensor:\(id)" ? known : nil },
            categoryExists: { reference.taxonomy[$0] != nil })
        return draft.validate(context: context)
    }
}
