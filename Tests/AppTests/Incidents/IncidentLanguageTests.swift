import CityDomain
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Every word of the incident area in the operator's language (issue 12 §6): timeline entries stored as codes and
/// parameters and worded when the room is shown (an entry stored as prose before keeps its text), and refusals
/// worded from their catalogue message, never from their English reason, while the API's reasons stay as they were —
/// on SQLite and, with `TEST_DATABASE_URL`, PostgreSQL.
@Suite("Incident language")
struct IncidentLanguageTests {
    typealias F = IncidentFixtures
    typealias Room = IncidentRoomTests

    /// The system's entries of the ferry story, as the room words them in Chinese and in English.
    @Test func timelineEntriesAreWordedAtDisplayTime() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let (id, bus) = try await Room.ferryWithPlan(app, team: team)
            let store = IncidentStore(sql: try app.db.sql())
            let events = try await store.events(id)
            func shown(_ action: String, _ language: DisplayLanguage) throws -> String {
                let row = try #require(events.first { $0.action == action }, "\(action)")
                return MessageNote.display(note: row.note, parts: row.noteParts, language, reference: app.reference)
                    .system
            }
            #expect(try shown("declared", .zh) == "轮渡停航旅客滞留，III 级（较大）")
            #expect(try shown("declared", .en) == "Ferry suspension, passengers stranded, level III (larger)")
            #expect(try shown("plan_started", .zh) == "预案：轮渡停航旅客滞留应急预案")
            #expect(try shown("plan_started", .en) == "Plan: Ferry suspension with passengers stranded")
            #expect(try shown("task_created", .zh) == "调派公交车辆疏运滞留旅客（时限 30 分钟）")
            #expect(try shown("task_created", .en) == "Dispatch buses to carry the stranded passengers (within 30 min)")
            #expect(try shown("resources_requested", .zh).hasPrefix("公交车：请求 100 个，分配 100 个；最近 "))
            #expect(try shown("resources_requested", .en).hasPrefix("Buses: 100 requested, 100 assigned; nearest "))
            // The API keeps its English note.
            let api = try await F.send(app, .GET, "/api/v1/incidents/\(id)/events", token: team.city).list
            #expect(api.contains { $0["note"] as? String == "ferry_suspension: 轮渡停航旅客滞留应急预案" })
            #expect(
                api.contains { ($0["note"] as? String ?? "").hasPrefix("bus × 100 requested, 100 assigned (nearest ") })

            // A sign-off with a note: the task in the page's language, the words as typed.
            let done = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/tasks/\(bus)/accept", token: team.transport, json: [:])
            #expect(done.status == .ok, "\(done.text)")
            _ = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/tasks/\(bus)/done", token: team.transport,
                json: ["note": "100 辆公交车已到达"])
            let room = try await Room.get(app, "/console/incidents/\(id)?lang=en", token: team.city)
            #expect(room.html.contains(#"<div class="text">Dispatch buses to carry the stranded passengers</div>"#))
            #expect(room.html.contains(#"<div class="text" data-own-words>100 辆公交车已到达</div>"#))
            #expect(room.html.contains("Plan: Ferry suspension with passengers stranded"))
            #expect(!room.html.contains("ferry_suspension: 轮渡停航旅客滞留应急预案"))
            let zh = try await Room.get(app, "/console/incidents/\(id)", token: team.city)
            #expect(zh.html.contains(#"<div class="text">调派公交车辆疏运滞留旅客</div>"#))
            #expect(zh.html.contains("预案：轮渡停航旅客滞留应急预案"))
        }
    }

    /// An entry stored as prose before `note_parts` shows its stored text on both languages' pages.
    @Test func anEntryStoredBeforeThePartsShowsItsText() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let id = try await F.declareFerry(app, token: team.city)
            let old = "ferry_suspension level III: stored before the parts"
            try await app.db.sql().insert(into: "incident_events")
                .columns("incident_id", "at_ms", "kind", "action", "actor", "note")
                .values(
                    SQLBind(id), SQLBind(Int64(0)), SQLBind("event"), SQLBind("declared"), SQLBind("city.op"),
                    SQLBind(old)
                ).run()
            for language in ["zh", "en"] {
                let room = try await Room.get(app, "/console/incidents/\(id)?lang=\(language)", token: team.city)
                #expect(room.html.contains(#"<div class="text" data-own-words>\#(old)</div>"#), "\(language)")
            }
        }
    }

    /// The room words a refusal by its catalogue code: a reason that reads like another refusal changes nothing.
    @Test func refusalsAreWordedByTheirCodeNotTheirReason() throws {
        let reference = try CityReference.shanghaiDefault()
        let misleading = LocalizedRefusal(
            .conflict, "incident.closed", ["id": "3"], apiReason: "task 1 belongs to x; only its own unit accepts")
        #expect(misleading.reason == "task 1 belongs to x; only its own unit accepts")
        #expect(Refusal.text(misleading, .zh, reference: reference) == "事件 3 已结束，不能再操作")
        #expect(Refusal.text(misleading, .en, reference: reference) == "incident 3 is closed")
        let taken = IncidentStore.taken("alarm", 7)
        #expect(taken.status == .conflict && taken.reason == "alarm 7 already belongs to an incident")
        #expect(Refusal.text(taken, .zh, reference: reference) == "告警 7 已属于另一事件")
        // The room has no text matching left: no console word is chosen from an English reason.
        let source = try String(
            contentsOf: StorageSchemaTests.sources.appendingPathComponent("App/Console/IncidentRoomController.swift"),
            encoding: .utf8)
        #expect(!source.contains(".reason"))
    }

    /// The API's reasons are the English sentences they always were, byte for byte.
    @Test func theAPIKeepsItsReasons() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let (id, bus) = try await Room.ferryWithPlan(app, team: team)
            let base = "/api/v1/incidents/\(id)"
            func reason(_ answer: F.Answer) -> String { answer["reason"] as? String ?? answer.text }
            let notOwn = try await F.send(app, .POST, "\(base)/tasks/\(bus)/accept", token: team.trafficPolice)
            #expect(notOwn.status == .forbidden)
            #expect(
                reason(notOwn) == "task \(bus) belongs to 310115.transport; only its own unit accepts and signs it off")
            let early = try await F.send(app, .POST, "\(base)/tasks/\(bus)/done", token: team.transport)
            #expect(reason(early) == "task \(bus) cannot be signed off: it must be accepted first")
            let notLead = try await F.send(app, .POST, "\(base)/plans", token: team.transport, json: [:])
            #expect(
                reason(notLead)
                    == "only the lead unit (310115.operations_centre) or an operations centre over the incident's area "
                    + "may start plans")
            let blank = try await F.send(app, .POST, "\(base)/close", token: team.city, json: ["override_reason": " "])
            #expect(reason(blank) == "override_reason must be 1–500 characters")
            let open = try await F.send(app, .POST, "\(base)/close", token: team.city, json: [:])
            #expect(reason(open).hasPrefix("incident \(id) has 5 task(s) not signed off: #"))
            #expect(reason(open).hasSuffix("; sign them off, or close with override_reason to close anyway"))
            let none = try await F.send(
                app, .POST, "\(base)/assignments/dispatch", token: team.city, json: ["assignment_ids": []])
            #expect(reason(none) == "assignment_ids must list 1–500 assignment ids")
            let decision = try await F.send(
                app, .POST, "\(base)/messages", token: team.transport, json: ["text": "x", "kind": "decision"])
            #expect(reason(decision) == "only the lead unit or an operations centre records decisions")
        }
    }
}
