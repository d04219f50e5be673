import CityDomain
import Fluent
import Open311
import Vapor

/// Reads service requests and their updates for the GeoReport v2 GET endpoints. Public reads: no operator scope,
/// only what Open311 publishes.
enum Open311Queries {
    /// Open311-submitted reports matching `query` with their cases, newest first; at most `query.limit`. Reports
    /// from other channels (hotline, sensors, operators) are not published. `extensions` adds the
    /// `extended_attributes` block (mySociety's `extensions=true`). `reference` names categories, units and regions.
    /// - Throws: database errors.
    static func requests(
        _ query: Open311RequestQuery, extensions: Bool, reference: CityReference, on db: any Database
    ) async throws -> [Open311ServiceRequest] {
        // One statement: each report comes with its case (joined by id), not a second read of up to 1,000 cases.
        // The join is inner, so every row has its case: a row that does not decode is an error, not a quiet gap.
        return try await matching(query, on: db).all().map { report in
            let record = try report.joined(Case.self)
            var request = serviceRequest(report, record, reference: reference)
            if !extensions { request.extendedAttributes = nil }
            return request
        }
    }

    /// The reports `query` asks for, newest first (`received_at`, then id, descending), at most `query.limit`: the
    /// statement ``requests(_:extensions:reference:on:)`` runs, spelled so that each filter reads an index
    /// (QueryPlanTests): the channel's reports by time (`reports_source_received_idx`), codes within it, a status
    /// through each report's case by id. Each report is joined to its case (`joined(Case.self)`); a report without a
    /// case is not listed.
    static func matching(_ query: Open311RequestQuery, on db: any Database) -> QueryBuilder<Report> {
        let reports = Report.query(on: db).filter(\.$source == .open311)
            .join(Case.self, on: \Report.$caseID == \Case.$id)
        if !query.serviceRequestIDs.isEmpty {
            reports.filter(\.$id ~~ query.serviceRequestIDs.compactMap { Int($0) })
        } else {
            if let window = query.window {
                reports.filter(\.$receivedAt >= window.start).filter(\.$receivedAt < window.end)
            }
            if !query.serviceCodes.isEmpty { reports.filter(\.$serviceCode ~~ query.serviceCodes) }
            if query.statuses.count == 1 {
                if query.statuses == [.closed] {
                    // Almost every case of a long history is closed: spelled so that no index on the state serves
                    // it, the database walks the channel's newest reports (reports_source_received_idx) and stops
                    // at the limit instead of joining every closed case and sorting.
                    reports.filter(.sql(unsafeRaw: #"("cases"."state" || '') = 'closed'"#))
                } else {
                    reports.filter(.sql(CaseOverdue.openExpression))  // the partial index of open cases
                }
            }
        }
        return reports.sort(\.$receivedAt, .descending).sort(\.$id, .descending).limit(query.limit)
    }

    /// Case events in the window as mySociety request updates, one per (event, Open311 report of the case), oldest
    /// first, the step and state named in Chinese (`受理 → 已受理`). Only the step and the new state are published:
    /// operators' notes (return reasons, supervision) and the hops between operations centres (`forward`) stay
    /// internal.
    /// - Throws: database errors.
    static func updates(_ query: Open311UpdatesQuery, on db: any Database) async throws -> [Open311RequestUpdate] {
        let events = try await CaseEvent.query(on: db)
            .filter(\.$at >= query.window.start).filter(\.$at < query.window.end)
            .filter(\.$action != .forward)
            .sort(\.$id).limit(query.limit).all()
        let caseIDs = Array(Set(events.map(\.caseID)))
        let reports = try await Report.query(on: db).filter(\.$caseID ~~ caseIDs)
            .filter(\.$source == .open311).all()
        let reportsByCase = Dictionary(grouping: reports, by: { $0.caseID ?? 0 })
        var updates: [Open311RequestUpdate] = []
        for event in events {
            for report in reportsByCase[event.caseID] ?? [] {
                let state = event.toState
                // Named from the one catalogue the console and live feed use: it also knows the steps that are
                // not operator actions (accept, merge_report, split_report).
                let action = ConsoleText.actionName(event.action.rawValue, .zh)
                updates.append(
                    Open311RequestUpdate(
                        updateID: "\(event.id ?? 0)-\(report.id ?? 0)", serviceRequestID: String(report.id ?? 0),
                        status: state == .closed ? .closed : .open, updatedDatetime: event.at,
                        description: "\(action) → \(state.nameZh)",
                        extendedAttributes: Open311ExtendedAttributes(
                            detailedStatus: state.rawValue, detailedStatusZh: state.nameZh, caseID: String(event.caseID)
                        )))
                if updates.count >= query.limit { return updates }
            }
        }
        return updates
    }

    /// The public view of a report and its case. Free text (description, address) is published through
    /// ``PersonalDataMask`` (phone, identity numbers and e-mail addresses masked); the reporter's name, e-mail,
    /// phone, device and account never leave the operators' API.
    static func serviceRequest(_ report: Report, _ record: Case, reference: CityReference) -> Open311ServiceRequest {
        let state = record.state
        let region = reference.hierarchy[record.regionCode]
        return Open311ServiceRequest(
            serviceRequestID: String(report.id ?? 0), status: state == .closed ? .closed : .open,
            statusNotes: state.nameZh, serviceName: reference.taxonomy[record.categoryCode]?.nameZh,
            serviceCode: report.serviceCode ?? record.categoryCode,
            description: report.description.map(PersonalDataMask.mask),
            agencyResponsible: reference.units[record.unitCode]?.nameZh ?? record.unitCode,
            requestedDatetime: report.receivedAt, updatedDatetime: record.updatedAt, expectedDatetime: record.dueAt,
            address: report.address.map(PersonalDataMask.mask), addressID: report.addressID, lat: report.latitude,
            long: report.longitude,
            mediaURL: report.mediaURL,
            extendedAttributes: Open311ExtendedAttributes(
                detailedStatus: state.rawValue, detailedStatusZh: state.nameZh, caseID: String(record.id ?? 0),
                regionCode: record.regionCode, regionName: region?.nameZh))
    }
}
