import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// The attention strip (issue 12 §1): one due-soon rule in Swift and SQL, the counts and urgent cases of the
/// operator's scope, and the fragment every operator page loads.
@Suite struct AttentionTests {
    @Test func theSQLDueSoonRuleAgreesWithTheSwiftRuleOnEveryBoundary() async throws {
        try await TestApp.withApp { app, clock in
            let now = clock.now
            // (step started, step due, suspended) relative to now, and whether due soon: less than a quarter left.
            let cases: [(TimeInterval, TimeInterval?, Bool, Bool)] = [
                (-3001, 1000, false, true),  // 1000 s of a 4001 s limit left: less than a quarter
                (-3000, 1000, false, false),  // exactly a quarter left
                (-3000, 1001, false, false),  // 1001 of 4001: more than a quarter
                (-2999, 1000, false, false),  // 1000 of 3999: more than a quarter
                (-300, 3600, false, false),  // most of the limit left
                (-86_400, 60, false, true),
                (-86_400, -1, false, false),  // overdue is not due soon
                (-86_400, 60, true, false),  // a stopped clock is never due soon
                (-86_400, nil, false, false),  // no limit
            ]
            var ids: [Int: Bool] = [:]
            for (started, due, suspended, expected) in cases {
                let id = try await CaseWorkflowAPITests.register(
                    app, category: "road.ponding", lat: 31.2397, long: 121.4998)
                try await Case.query(on: app.db).filter(\.$id == id)
                    .set(\.$stepStartedAt, to: now.addingTimeInterval(started))
                    .set(\.$stepDueAt, to: due.map(now.addingTimeInterval))
                    .set(\.$dueAt, to: nil)
                    .set(\.$suspendedSince, to: suspended ? now.addingTimeInterval(-60) : nil)
                    .update()
                ids[id] = expected
            }
            let records = try await Case.query(on: app.db).all()
            for record in records {
                #expect(CaseOverdue.isDueSoon(record, now: now) == ids[record.id ?? 0], "Swift, case \(record.id ?? 0)")
            }
            let sql = try await Case.query(on: app.db).filter(.sql(CaseOverdue.dueSoonExpression(now: now))).all()
            #expect(Set(sql.compactMap(\.id)) == Set(ids.filter(\.value).map(\.key)))
        }
    }

    @Test func theStripCountsAndListsWhatNeedsTheOperatorInTheirScopeOnly() async throws {
        try await TestApp.withApp { app, clock in
            let now = clock.now
            func ponding(lat: Double, long: Double) async throws -> Int {
                try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: lat, long: long)
            }
            let overdue = try await ponding(lat: 31.2397, long: 121.4998)  // 浦东
            let dueSoon = try await ponding(lat: 31.2397, long: 121.4998)
            let supervised = try await ponding(lat: 31.2397, long: 121.4998)
            let calm = try await ponding(lat: 31.2397, long: 121.4998)
            let elsewhere = try await ponding(lat: 31.2304, long: 121.4737)  // 黄浦, overdue too
            let elsewhereDueSoon = try await ponding(lat: 31.2304, long: 121.4737)  // 黄浦, due soon
            let elsewhereSupervised = try await ponding(lat: 31.2304, long: 121.4737)  // 黄浦, 督办
            let closedSupervised = try await ponding(lat: 31.2397, long: 121.4998)  // 浦东, 督办 but closed
            func set(_ id: Int, started: TimeInterval, due: TimeInterval, level: Int = 0) async throws {
                try await Case.query(on: app.db).filter(\.$id == id)
                    .set(\.$stepStartedAt, to: now.addingTimeInterval(started))
                    .set(\.$stepDueAt, to: now.addingTimeInterval(due)).set(\.$dueAt, to: nil)
                    .set(\.$escalationLevel, to: level).update()
            }
            try await set(overdue, started: -7200, due: -600)
            try await set(dueSoon, started: -7200, due: 600)
            try await set(supervised, started: -600, due: 7200, level: 1)
            try await set(calm, started: -600, due: 7200)
            try await set(elsewhere, started: -7200, due: -60)
            try await set(elsewhereDueSoon, started: -7200, due: 300)
            try await set(elsewhereSupervised, started: -600, due: 7200, level: 1)
            try await set(closedSupervised, started: -600, due: 7200, level: 2)
            try await Case.query(on: app.db).filter(\.$id == closedSupervised).set(\.$state, to: .closed)
                .set(\.$closedAt, to: now).update()
            let scope = OperatorScope(
                operatorID: UUID(), username: "pd.op", role: .districtOperator, unitCode: "310115.operations_centre",
                regionCode: "310115")
            let attention = try await AttentionQueries.load(
                scope: scope, reference: app.reference, on: app.db, now: now)
            #expect(attention.overdue == 1)
            #expect(attention.dueSoon == 1)
            #expect(attention.supervised == 1)
            #expect(attention.triage == 0)
            #expect(attention.alarms == 0)
            // Earliest running limit first; the calm case, the other district's and a closed 督办 case are not listed
            // (an OR left ungrouped once listed the last two kinds).
            #expect(attention.cases.compactMap(\.id) == [overdue, dueSoon, supervised])
            let plan = try await QueryPlanTests.plan(
                CaseQueries.inQueueOrder(
                    try CaseQueries.matching(
                        CaseFilter(), scope: scope, reference: app.reference, on: app.db, now: now, openOnly: true
                    )
                    .filter(.sql(AttentionQueries.urgentExpression(now: now)))), on: app)
            #expect(!QueryPlanTests.scansCases(plan) && !QueryPlanTests.walksCases(plan), "\(plan)")

            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.console", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/attention", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(
                    html.contains(
                        #"<a href="/console/cases?overdue=1" class="count overdue" id="att-overdue"><b>1</b> 超时</a>"#))
                #expect(html.contains(#"id="att-triage"><b>0</b> 待分拨</a>"#))
                #expect(html.contains(#"<li class="overdue" data-case="\#(overdue)">"#))
                #expect(html.contains(#"<b class="tag supervised">督办</b>"#))
                // Listed for its 督办 mark, but with two hours left it is neither overdue nor due soon.
                #expect(html.contains(#"<li class="" data-case="\#(supervised)">"#))
                #expect(html.contains(#"<li class="due-soon" data-case="\#(dueSoon)">"#))
                let dueMS = Int64(((now.timeIntervalSince1970 - 600) * 1000).rounded())
                #expect(html.contains(#"data-due="\#(dueMS)""#))
                #expect(!html.contains(#"data-case="\#(calm)""#))
                #expect(!html.contains(#"data-case="\#(elsewhere)""#))
            }
            try await app.testing().test(.GET, "/console/attention?lang=en", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("<b>1</b> overdue</a>"))
                #expect(res.body.string.contains(#"data-left="left" data-late="overdue by""#))
            }
            // Every operator page carries the strip's place and the header clock; the desk marks 督办.
            try await app.testing().test(.GET, "/console/cases", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(
                    html.contains(#"<aside class="attention" id="attention" aria-label="待办提醒" aria-live="polite">"#))
                #expect(html.contains(#"<time id="clock""#))
                #expect(html.contains(#"\#(supervised)</a> <b class="tag supervised">督办</b>"#))
            }
        }
    }

    @Test func gridWorkersSeeTheirUnitsWorkWithoutTheTriageBacklog() async throws {
        try await TestApp.withApp { app, _ in
            let cookie = try await ConsoleTests.signIn(
                app, username: "grid.one", unit: "310115105.operations_centre", role: .gridWorker)
            try await app.testing().test(.GET, "/console/attention", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("att-triage"))
                #expect(res.body.string.contains(#"id="att-none""#))
            }
            try await app.testing().test(.GET, "/console/attention") { res in
                #expect(res.status == .seeOther || res.status == .unauthorized)
            }
        }
    }
}
