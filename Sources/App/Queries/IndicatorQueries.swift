import CityDomain
import Foundation
import SQLKit

/// Loads the inputs of indicators (CityNet issue 11 §2) within an operator's scope and computes them with
/// ``IndicatorComputation``. Readings come from the hour rollups, or for windows of at most six hours from the kept
/// raw readings and the minute rollups (``sources(table:)``), each read through its key index for the window only,
/// so a year of data stays cheap; cases from the case counters and the open-cases and closed-at indexes with the
/// shared overdue and on-time rules (``CaseOverdue``, ``CaseOnTime``; ``caseInputs(measure:windowSeconds:scope:reference:on:now:)``).
enum IndicatorQueries {
    /// Windows up to this long are read by the minute (raw readings and minute rollups, a window ending now, to the
    /// minute); longer ones of whole hours from the hour rollups.
    static let minuteWindowLimit = 6 * 3600

    /// One indicator for the operator of `scope`: the city value over everything the scope reaches, and one value
    /// per district it reaches (``districts(scope:hierarchy:)``).
    /// - Throws: database errors.
    static func compute(
        _ definition: IndicatorDefinition, scope: OperatorScope, reference: CityReference, on sql: any SQLDatabase,
        now: Date
    ) async throws -> IndicatorResult {
        let districts = Self.districts(scope: scope, hierarchy: reference.hierarchy)
        switch definition.source {
        case .readings(let kind, let attribute, let aggregate):
            let inputs = try await readingInputs(
                kind: kind, attribute: attribute, needLast: aggregate != .reportingShare,
                windowSeconds: definition.windowSeconds, scope: scope, reference: reference, on: sql, now: now)
            return IndicatorComputation.readings(definition, inputs: inputs, districts: districts, now: now)
        case .cases(let measure):
            let inputs = try await caseInputs(
                measure: measure, windowSeconds: definition.windowSeconds, scope: scope, reference: reference, on: sql,
                now: now)
            return IndicatorComputation.cases(definition, inputs: inputs, districts: districts, now: now)
        }
    }

    /// The districts an operator's scope reaches, in code order: those inside it, or the one holding it (a street
    /// operator sees their street's share of their district).
    static func districts(scope: OperatorScope, hierarchy: RegionHierarchy) -> [String] {
        hierarchy.children(of: hierarchy.root.code).filter {
            hierarchy.isWithin($0.code, ancestor: scope.regionCode)
                || hierarchy.isWithin(scope.regionCode, ancestor: $0.code)
        }.map(\.code).sorted()
    }

    /// The rollup table and bucket width for a window.
    static func table(windowSeconds: Int) -> (name: String, widthMS: Int64) {
        windowSeconds > minuteWindowLimit && windowSeconds % 3600 == 0
            ? ("reading_rollups_hour", ReadingRollups.hourMS) : ("reading_rollups_minute", ReadingRollups.minuteMS)
    }

    /// Where a window's buckets are stored: the hour rollups; or, for minute buckets, the raw readings still kept
    /// (each its own minute bucket, issue 11 §1 storage) and the minute rollups of readings past their retention.
    /// Each with its bucket column and the aggregates `n`, `total`, `min_value`, `max_value` over its rows `r`.
    static func sources(table: String) -> [(table: String, bucket: String, aggregates: String)] {
        let rollup =
            "CAST(SUM(r.n) AS BIGINT) AS n, SUM(r.total) AS total, MIN(r.min_value) AS min_value, "
            + "MAX(r.max_value) AS max_value"
        guard table == "reading_rollups_minute" else { return [(table, "r.bucket_ms", rollup)] }
        let raw =
            "CAST(COUNT(*) AS BIGINT) AS n, SUM(r.value) AS total, MIN(r.value) AS min_value, "
            + "MAX(r.value) AS max_value"
        return [("readings", "r.observed_ms", raw), (table, "r.bucket_ms", rollup)]
    }

    /// Every sensor of `kind` (reporting `attribute`, when given) that `scope` may see, with its readings in the
    /// current window (the buckets from the one holding `now` − window to the one holding `now`), the window before
    /// (the buckets from the one holding `now` − 2 × window up to the current window), and, for sensors silent in
    /// the current window, the window ending at their newest reading.
    static func readingInputs(
        kind: SensorKind, attribute: String?, needLast: Bool, windowSeconds: Int, scope: OperatorScope,
        reference: CityReference, on sql: any SQLDatabase, now: Date
    ) async throws -> [SensorIndicatorInput] {
        let hierarchy = reference.hierarchy
        let sensors = try await sql.select().column("*").from("sensors").where("kind", .equal, kind.rawValue).all()
            .map(SensorRegistry.decode)
            .filter { sensor in
                scope.canSee(sensor, in: hierarchy) && (attribute.map { sensor.attributes[$0] != nil } ?? true)
            }
        guard !sensors.isEmpty else { return [] }
        let (table, width) = table(windowSeconds: windowSeconds)
        let windowMS = Int64(windowSeconds) * 1000
        // Whole buckets, from the one holding now − window (so a reading within the window, and so within the
        // maximum age, is always counted) to the one holding now.
        func bucket(_ ms: Int64) -> Int64 { ms - ((ms % width) + width) % width }
        let nowMS = VitalsTime.ms(now)
        let end = bucket(nowMS)
        let currentStart = bucket(nowMS - windowMS)
        let previousStart = bucket(nowMS - 2 * windowMS)
        // Every attribute of the kind when none is named (a reporting share), so the rollups' key index
        // (sensor_id, attribute, bucket_ms) still seeks each sensor's window.
        let names = attribute.map { [$0] } ?? (VitalAttribute.catalogue[kind] ?? []).map(\.name)
        let attributes = SQLList(names.map { SQLBind($0) })
        var current: [String: ReadingWindow] = [:]
        var previous: [String: ReadingWindow] = [:]
        var last: [String: ReadingWindow] = [:]
        // A sensor's rows from the two minute stores are one window.
        func add(_ row: any SQLRow, to windows: inout [String: ReadingWindow]) throws {
            let window = try Self.window(row)
            let id = try row.decode(column: "sensor_id", as: String.self)
            windows[id] = windows[id].map { $0.merged(with: window) } ?? window
        }
        for source in sources(table: table) {
            let b = source.bucket
            let rows = try await sql.raw(
                """
                SELECT r.sensor_id AS sensor_id, CASE WHEN \(unsafeRaw: b) >= \(bind: currentStart) THEN 1 ELSE 0 END AS cur,
                \(unsafeRaw: source.aggregates)
                FROM sensors s CROSS JOIN \(ident: source.table) r
                WHERE r.sensor_id = s.id AND s.kind = \(bind: kind.rawValue) AND r.attribute IN (\(attributes))
                AND \(unsafeRaw: b) >= \(bind: previousStart) AND \(unsafeRaw: b) < \(bind: end + width)
                GROUP BY 1, 2
                """
            ).all()
            for row in rows {
                if try row.decode(column: "cur", as: Int.self) == 1 {
                    try add(row, to: &current)
                } else {
                    try add(row, to: &previous)
                }
            }
        }
        if needLast, sensors.contains(where: { current[$0.id] == nil && $0.lastObservedMS != nil }) {
            // Each silent sensor's own last window, ending at its newest reading.
            for source in sources(table: table) {
                let b = source.bucket
                let lastRows = try await sql.raw(
                    """
                    SELECT r.sensor_id AS sensor_id, \(unsafeRaw: source.aggregates)
                    FROM sensors s CROSS JOIN \(ident: source.table) r
                    WHERE r.sensor_id = s.id AND s.kind = \(bind: kind.rawValue) AND r.attribute IN (\(attributes))
                    AND s.last_observed_ms < \(bind: currentStart)
                    AND \(unsafeRaw: b) > s.last_observed_ms - \(bind: windowMS) AND \(unsafeRaw: b) <= s.last_observed_ms
                    GROUP BY r.sensor_id
                    """
                ).all()
                for row in lastRows { try add(row, to: &last) }
            }
        }
        return sensors.map { sensor in
            SensorIndicatorInput(
                sensorID: sensor.id, districtCode: hierarchy.ancestor(of: sensor.regionCode, at: .district)?.code,
                lastObserved: sensor.lastObservedMS.map(VitalsTime.date), current: current[sensor.id],
                previous: previous[sensor.id], last: last[sensor.id])
        }
    }

    private static func window(_ row: any SQLRow) throws -> ReadingWindow {
        ReadingWindow(
            count: Int(try row.decode(column: "n", as: Int64.self)),
            total: try row.decode(column: "total", as: Double.self),
            min: try row.decode(column: "min_value", as: Double.self),
            max: try row.decode(column: "max_value", as: Double.self))
    }
}
