import CityDomain
import Foundation
import SQLKit
import Vapor

/// The alarm desk for signed-in operators (CityNet issue 11 §3; rules: ``AlarmRuleController``):
/// `GET /api/v1/alarms`, `GET /api/v1/alarms/:id`, `POST /api/v1/alarms/:id/acknowledge`,
/// `POST /api/v1/alarms/:id/clear`.
struct AlarmController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let alarms = routes.grouped("alarms")
        alarms.get(use: list)
        alarms.get(":alarm_id", use: read)
        alarms.on(.POST, ":alarm_id", "acknowledge", body: .collect(maxSize: "4kb"), use: acknowledge)
        alarms.on(.POST, ":alarm_id", "clear", body: .collect(maxSize: "4kb"), use: clear)
    }

    struct ListQuery: Content {
        var status: String?
        var sensorID: String?

        enum CodingKeys: String, CodingKey {
            case status
            case sensorID = "sensor_id"
        }
    }

    /// `GET /api/v1/alarms?status=active|cleared&sensor_id=` — newest first, at most 500.
    /// Only alarms of sensors within the operator's scope (``OperatorScope/canSee(regionCode:unitCode:in:)``).
    @Sendable func list(req: Request) async throws -> [AlarmDTO] {
        let query = try req.decodeQuery(ListQuery.self)
        let scope = try req.auth.require(OperatorScope.self)
        if let status = query.status, AlarmStatus(rawValue: status) == nil {
            throw Abort(.badRequest, reason: "status must be active or cleared")
        }
        return try await Self.list(
            scope: scope, status: query.status.flatMap(AlarmStatus.init), acknowledged: nil, sensorID: query.sensorID,
            hierarchy: req.reference.hierarchy, on: try req.db.sql())
    }

    /// Alarms of sensors within `scope` (region, and unit for caseworkers and grid workers), newest first, at most
    /// 500; optionally of one status, acknowledged or not, of one sensor.
    static func list(
        scope: OperatorScope, status: AlarmStatus?, acknowledged: Bool?, sensorID: String?,
        hierarchy: RegionHierarchy, on sql: any SQLDatabase
    ) async throws -> [AlarmDTO] {
        var select = inScope(
            sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("alarms"))).from("alarms"),
            scope: scope, hierarchy: hierarchy)
        if let status { select = select.where("status", .equal, status.rawValue) }
        if let acknowledged { select = select.where("acknowledged", .equal, acknowledged) }
        if let sensorID { select = select.where("sensor_id", .equal, sensorID) }
        return try await select.orderBy("id", .descending).limit(500).all().map(AlarmDTO.init(row:))
    }

    /// How many active alarms sensors within `scope` have (the console's attention strip).
    /// - Throws: database errors.
    static func activeCount(scope: OperatorScope, hierarchy: RegionHierarchy, on sql: any SQLDatabase) async throws
        -> Int
    {
        let select = inScope(
            sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("alarms"),
            scope: scope, hierarchy: hierarchy
        ).where("status", .equal, AlarmStatus.active.rawValue)
        return try await select.first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// `select` narrowed to alarms of sensors within `scope`: its region subtree, and its unit for caseworkers and
    /// grid workers.
    private static func inScope(_ select: SQLSelectBuilder, scope: OperatorScope, hierarchy: RegionHierarchy)
        -> SQLSelectBuilder
    {
        var select = select
        if let codes = scope.regionCodes(in: hierarchy) {
            select = select.where(
                SQLColumn("sensor_id", table: "alarms"), .in,
                SQLSubquery.select { $0.column("id").from("sensors").where("region_code", .in, codes) })
        }
        if let unit = scope.onlyUnit {
            select = select.where(
                SQLColumn("sensor_id", table: "alarms"), .in,
                SQLSubquery.select { $0.column("id").from("sensors").where("unit_code", .equal, unit) })
        }
        return select
    }

    /// `GET /api/v1/alarms/:id` — the alarm with its audit trail; 404 for an unknown id or one outside the
    /// operator's scope.
    @Sendable func read(req: Request) async throws -> AlarmDTO {
        let id = try Self.id(req)
        let sql = try req.db.sql()
        _ = try await Self.target(id, scope: try req.auth.require(OperatorScope.self), req: req, on: sql)
        return try await Self.alarm(id, on: sql)
    }

    struct ActionBody: Content {
        var note: String?
    }

    /// `POST /api/v1/alarms/:id/acknowledge` — marks the alarm acknowledged (active or cleared); acknowledging
    /// twice changes nothing more. 404 for an unknown id.
    @Sendable func acknowledge(req: Request) async throws -> AlarmDTO {
        try await Self.acknowledge(
            try Self.id(req), scope: try req.auth.require(OperatorScope.self), note: try Self.note(req), req: req)
    }

    /// Acknowledges alarm `id` for `operatorScope` (as `POST /api/v1/alarms/:id/acknowledge`; the console's alarm
    /// desk too). - Throws: 404 for an unknown alarm or one outside the scope.
    static func acknowledge(_ id: Int64, scope operatorScope: OperatorScope, note: String?, req: Request)
        async throws -> AlarmDTO
    {
        let nowMS = VitalsTime.ms(req.now)
        let store = Self.store(req)
        _ = try await Self.target(id, scope: operatorScope, req: req, on: try req.db.sql())
        try await req.application.writeGate.exclusive { db in
            let sql = try db.sql()
            let row = try await sql.update("alarms").set("acknowledged", to: true)
                .set("acknowledged_at_ms", to: nowMS).set("acknowledged_by", to: operatorScope.username)
                .where("id", .equal, id).where("acknowledged", .equal, false).returning("id").first()
            if row != nil {
                try await store(sql).event(
                    alarmID: id, atMS: nowMS, action: "acknowledge", actor: operatorScope.username, note: note)
            }
        }
        return try await Self.alarm(id, on: try req.db.sql())
    }

    /// `POST /api/v1/alarms/:id/clear` — clears an active alarm by hand: it stays cleared with its history and the
    /// operator's note in its audit events, the rule's progress for the sensor restarts (a new violation opens a new
    /// alarm), and the clearing is recorded on its case. Only the alarm with this id is cleared, never a newer alarm
    /// of the same sensor and rule; on PostgreSQL the sensor's evaluator lock (`vitals:<sensor>`, as ingestion takes
    /// it) is held so that a concurrent batch cannot write stale rule state over the clearing. 409 (nothing written)
    /// when the alarm is not active, 404 for an unknown id.
    @Sendable func clear(req: Request) async throws -> AlarmDTO {
        try await Self.clear(
            try Self.id(req), scope: try req.auth.require(OperatorScope.self), note: try Self.note(req), req: req)
    }

    /// Clears alarm `id` by hand for `operatorScope` (as `POST /api/v1/alarms/:id/clear`; the console's alarm desk
    /// too). - Throws: 404 (unknown or out of scope), 403 (not an operations centre), 409 (not active).
    static func clear(_ id: Int64, scope operatorScope: OperatorScope, note: String?, req: Request)
        async throws -> AlarmDTO
    {
        let nowMS = VitalsTime.ms(req.now)
        let store = Self.store(req)
        let (sensorID, ruleCode) = try await Self.target(id, scope: operatorScope, req: req, on: try req.db.sql())
        guard operatorScope.worksForACentre else {
            throw LocalizedRefusal(.forbidden, "alarm.centres_only")
        }
        try await req.application.writeGate.exclusive { db in
            let sql = try db.sql()
            try await sql.lockSensorEvaluator(sensorID)
            guard
                try await store(sql).clear(
                    alarmID: id, atMS: nowMS, by: operatorScope.username, nowMS: nowMS, note: note) != nil
            else { throw LocalizedRefusal(.conflict, "alarm.not_active", ["id": "\(id)"]) }
            let state = try await AlarmStateStore.load(sensorID: sensorID, ruleCode: ruleCode, on: sql)
            try await AlarmStateStore.save(state.clearedByHand(), sensorID: sensorID, ruleCode: ruleCode, on: sql)
            req.application.vitalsCache.forgetStates(sensorIDs: [sensorID])
        }
        return try await Self.alarm(id, on: try req.db.sql())
    }

    /// The alarm's sensor and rule when the operator may see it (its sensor's region and unit, as for cases).
    /// - Throws: 404 for an unknown alarm or one outside the operator's scope.
    private static func target(_ id: Int64, scope: OperatorScope, req: Request, on sql: any SQLDatabase)
        async throws -> (sensorID: String, ruleCode: String)
    {
        guard
            let row = try await sql.select().column(SQLColumn("sensor_id", table: "alarms"))
                .column(SQLColumn("rule_code", table: "alarms")).column(SQLColumn("region_code", table: "sensors"))
                .column(SQLColumn("unit_code", table: "sensors")).from("alarms")
                .join("sensors", on: SQLColumn("id", table: "sensors"), .equal, SQLColumn("sensor_id", table: "alarms"))
                .where(SQLColumn("id", table: "alarms"), .equal, SQLBind(id)).first(),
            scope.canSee(
                regionCode: try row.decode(column: "region_code", as: String.self),
                unitCode: try row.decode(column: "unit_code", as: String.self), in: req.reference.hierarchy)
        else { throw LocalizedRefusal(.notFound, "alarm.not_found", ["id": "\(id)"]) }
        return (
            try row.decode(column: "sensor_id", as: String.self), try row.decode(column: "rule_code", as: String.self)
        )
    }

    private static func id(_ req: Request) throws -> Int64 {
        guard let id = req.parameters.get("alarm_id", as: Int64.self) else {
            throw LocalizedRefusal(.badRequest, "alarm.id_not_integer")
        }
        return id
    }

    private static func note(_ req: Request) throws -> String? {
        guard (req.body.data?.readableBytes ?? 0) > 0 else { return nil }
        let note = try req.decodeBody(ActionBody.self).note
        if let note { try TextRules.validate(note, field: "note", maxLength: 500) }
        return note
    }

    /// An ``AlarmStore`` for a transaction's database, with the request's reference data, settings and logger.
    static func store(_ req: Request) -> @Sendable (any SQLDatabase) -> AlarmStore {
        let reference = req.reference
        let severities = req.application.config.vitalsCaseSeverities
        let logger = req.logger
        return { AlarmStore(sql: $0, reference: reference, caseSeverities: severities, logger: logger) }
    }

    static func alarm(_ id: Int64, on sql: any SQLDatabase) async throws -> AlarmDTO {
        guard let row = try await sql.select().column("*").from("alarms").where("id", .equal, id).first() else {
            throw LocalizedRefusal(.notFound, "alarm.not_found", ["id": "\(id)"])
        }
        var alarm = try AlarmDTO(row: row)
        alarm.events = try await sql.select().column("*").from("alarm_events").where("alarm_id", .equal, id)
            .orderBy("id").all().map { event in
                AlarmDTO.Event(
                    at: VitalsTime.date(try event.decode(column: "at_ms", as: Int64.self)),
                    action: try event.decode(column: "action", as: String.self),
                    actor: try event.decode(column: "actor", as: String.self),
                    note: try event.decode(column: "note", as: String?.self))
            }
        return alarm
    }
}
