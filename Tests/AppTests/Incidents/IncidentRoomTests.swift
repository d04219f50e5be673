import CityDomain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The incident room console (issue 15 §5): who sees it, which actions each operator is offered, the forms running
/// the API's handlers, and refusals in the page's language — on SQLite and, with `TEST_DATABASE_URL`, PostgreSQL.
@Suite("Incident room console")
struct IncidentRoomTests {
    typealias F = IncidentFixtures

    /// A console page or form answer: status, body and the one-time message it carried.
    struct Page {
        var status: HTTPStatus
        var html: String
        var flash: String
    }

    static func get(_ app: Application, _ path: String, token: String) async throws -> Page {
        var page = Page(status: .internalServerError, html: "", flash: "")
        try await app.testing().test(.GET, path, headers: ["Cookie": "\(ConsoleSession.cookie)=\(token)"]) { res in
            page = Page(status: res.status, html: res.body.string, flash: "")
        }
        return page
    }

    static func post(_ app: Application, _ path: String, token: String, form: [String: String]) async throws -> Page {
        var page = Page(status: .internalServerError, html: "", flash: "")
        try await app.testing().test(
            .POST, path,
            beforeRequest: { req in
                req.headers.cookie = [ConsoleSession.cookie: .init(string: token)]
                var fields = form
                fields["_csrf"] = ConsoleSession.csrfToken(forSession: token)
                try req.content.encode(fields, as: .urlEncodedForm)
            },
            afterResponse: { res in
                page = Page(status: res.status, html: res.body.string, flash: ConsoleTests.flash(res))
            })
        return page
    }

    /// Posts a form given as its encoded body (for repeated fields such as `assignment_ids[]`), with the CSRF token.
    static func post(_ app: Application, _ path: String, token: String, encoded: String) async throws -> Page {
        var page = Page(status: .internalServerError, html: "", flash: "")
        var headers = HTTPHeaders()
        headers.cookie = [ConsoleSession.cookie: .init(string: token)]
        headers.contentType = .urlEncodedForm
        let body = "_csrf=\(ConsoleSession.csrfToken(forSession: token))&" + encoded
        try await app.testing().test(.POST, path, headers: headers, body: ByteBuffer(string: body)) { res in
            page = Page(status: res.status, html: res.body.string, flash: ConsoleTests.flash(res))
        }
        return page
    }

    /// The ferry incident with its plan started by the Pudong centre; returns its id and the transport bus task's.
    static func ferryWithPlan(_ app: Application, team: F.Team) async throws -> (Int, Int) {
        let id = try await F.declareFerry(app, token: team.city)
        let start = try await F.send(app, .POST, "/api/v1/incidents/\(id)/plans", token: team.pudong, json: [:])
        #expect(start.status == .created, "\(start.text)")
        let detail = try await F.send(app, .GET, "/api/v1/incidents/\(id)", token: team.city)
        let tasks = detail["tasks"] as? [[String: Any]] ?? []
        let bus = try #require(tasks.first { $0["code"] as? String == "dispatch_buses" }?["id"] as? Int)
        return (id, bus)
    }

    @Test func anOperatorOutsideTheIncidentGetsTheConsole404AndDoesNotSeeItListed() async throws {
        try await TestApp.withApp { app, clock in
            let team = try await F.team(app)
            let (id, _) = try await Self.ferryWithPlan(app, team: team)
            let hidden = try await Self.get(app, "/console/incidents/\(id)", token: team.putuo)
            #expect(hidden.status == .notFound)
            #expect(hidden.html.contains("<html"))  // the console's page, not the API's JSON
            #expect(!hidden.html.contains("申崇线停航"))
            let refused = try await Self.post(
                app, "/console/incidents/\(id)/message", token: team.putuo, form: ["text": "hello"])
            #expect(refused.status == .notFound)
            let list = try await Self.get(app, "/console/incidents", token: team.putuo)
            #expect(list.status == .ok)
            #expect(!list.html.contains("/console/incidents/\(id)\""))
            let seen = try await Self.get(app, "/console/incidents", token: team.transport)
            #expect(seen.html.contains("href=\"/console/incidents/\(id)\""))
            let room = try await Self.get(app, "/console/incidents/\(id)", token: team.transport)
            #expect(room.status == .ok)
            #expect(room.html.contains(#"<svg id="ir-map""#))
            #expect(room.html.contains(#"class="district""#))  // Pudong's outline
            #expect(room.html.contains(#"class="incident-area""#))
            #expect(room.html.contains(#"data-dots="100""#))  // the plan's 100 buses
            #expect(room.html.contains(#"class="depot""#))
            #expect(!room.html.contains("overdue-mark"))
            clock.advance(by: 4 * 3600)  // past every ferry task's deadline
            let late = try await Self.get(app, "/console/incidents/\(id)?lang=en", token: team.transport)
            #expect(late.html.contains(#"task task-open overdue""#))
            #expect(late.html.contains(#"<span class="overdue-mark">Overdue</span>"#))
        }
    }

    @Test func actionsAreOfferedByRoleAndTheFormsRunTheAPIsSteps() async throws {
        try await TestApp.withApp { app, clock in
            let team = try await F.team(app)
            let (id, bus) = try await Self.ferryWithPlan(app, team: team)
            let acceptBus = #"name="task_id" value="\#(bus)""#
            let transport = try await Self.get(app, "/console/incidents/\(id)", token: team.transport)
            #expect(transport.html.contains(acceptBus))
            #expect(!transport.html.contains(#"id="close-form""#))  // an assisting unit does not command
            #expect(!transport.html.contains("plan-form"))
            #expect(transport.html.contains("dispatch-form"))  // its own buses
            let police = try await Self.get(app, "/console/incidents/\(id)", token: team.trafficPolice)
            #expect(!police.html.contains(acceptBus))
            #expect(police.html.contains("accept-form"))  // its own traffic task
            #expect(!police.html.contains("dispatch-form"))  // not the transport unit's buses
            let lead = try await Self.get(app, "/console/incidents/\(id)", token: team.pudong)
            #expect(lead.html.contains(#"id="close-form""#))
            #expect(lead.html.contains(#"id="request-form""#))
            #expect(!lead.html.contains("plan-form"))  // the plan was started already

            clock.advance(by: 300)
            let accepted = try await Self.post(
                app, "/console/incidents/\(id)/accept", token: team.transport, form: ["task_id": "\(bus)"])
            #expect(accepted.status == .seeOther)
            #expect(accepted.flash.hasPrefix("ok:"))
            let task = try await F.send(app, .GET, "/api/v1/incidents/\(id)", token: team.city)
            let row = (task["tasks"] as? [[String: Any]] ?? []).first { $0["id"] as? Int == bus }
            #expect(row?["state"] as? String == "accepted")
            #expect(row?["accepted_by"] as? String == "pd.transport")
            let after = try await Self.get(app, "/console/incidents/\(id)?lang=en", token: team.transport)
            #expect(after.html.contains("Task accepted</b> pd.transport"))
            #expect(after.html.contains("done-form"))
            #expect(after.html.contains("<th>First response</th><td>5 min</td>"))

            // The transport unit moves its own buses through the room's forms.
            let buses = try await F.send(app, .GET, "/api/v1/incidents/\(id)/assignments", token: team.city).list
                .compactMap { $0["id"] as? Int }
            #expect(buses.count == 100)
            let ids = buses.prefix(3).map { "assignment_ids[]=\($0)" }.joined(separator: "&")
            let dispatched = try await Self.post(
                app, "/console/incidents/\(id)/dispatch", token: team.transport, encoded: ids)
            #expect(dispatched.flash.hasPrefix("ok:"), "\(dispatched.flash)")
            let arrived = try await Self.post(
                app, "/console/incidents/\(id)/arrive", token: team.transport, encoded: ids)
            #expect(arrived.flash.hasPrefix("ok:"), "\(arrived.flash)")
            let moved = try await F.send(app, .GET, "/api/v1/incidents/\(id)/assignments", token: team.city).list
            #expect(moved.filter { $0["state"] as? String == "arrived" }.count == 3)
            let policeMoves = try await Self.post(
                app, "/console/incidents/\(id)/release?lang=en", token: team.trafficPolice, encoded: ids)
            #expect(policeMoves.flash.hasPrefix("error:assignment "), "\(policeMoves.flash)")
            #expect(
                policeMoves.flash.hasSuffix(
                    " belongs to Pudong New Area transport; only that unit or a commander moves it"))
            let map = try await Self.get(app, "/console/incidents/\(id)", token: team.transport)
            #expect(map.html.components(separatedBy: "class=\"res res-arrived\"").count == 4)

            let message = try await Self.post(
                app, "/console/incidents/\(id)/message", token: team.weather,
                form: ["text": "大风预计 14 时减弱", "kind": "message"])
            #expect(message.flash.hasPrefix("ok:"))
            let room = try await Self.get(app, "/console/incidents/\(id)", token: team.city)
            #expect(room.html.contains("大风预计 14 时减弱"))

            // Closed: nothing more is offered.
            let closed = try await Self.post(
                app, "/console/incidents/\(id)/close", token: team.pudong, form: ["override_reason": "演练结束"])
            #expect(closed.flash.hasPrefix("ok:"))
            let end = try await Self.get(app, "/console/incidents/\(id)", token: team.pudong)
            #expect(!end.html.contains("<form method=\"post\" action=\"/console/incidents/\(id)"))
            #expect(end.html.contains(#"data-state="closed""#))
        }
    }

    @Test func refusalsAreShownInThePagesLanguageNeverAsRawCodes() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let (id, bus) = try await Self.ferryWithPlan(app, team: team)
            let path = "/console/incidents/\(id)"
            let zh = try await Self.post(app, "\(path)/accept", token: team.trafficPolice, form: ["task_id": "\(bus)"])
            #expect(zh.flash == "error:任务 \(bus) 属于浦东新区交通委员会，只能由其本单位签收和办结")
            let en = try await Self.post(
                app, "\(path)/accept?lang=en", token: team.trafficPolice, form: ["task_id": "\(bus)"])
            #expect(
                en.flash
                    == "error:task \(bus) belongs to Pudong New Area transport; only its own unit accepts and signs it off"
            )

            let close = try await Self.post(app, "\(path)/close", token: team.pudong, form: [:])
            #expect(close.flash.hasPrefix("error:事件 \(id) 尚有 5 项任务未办结（#"), "\(close.flash)")
            #expect(close.flash.contains(" 调派公交车辆疏运滞留旅客"))
            #expect(close.flash.hasSuffix("），不能结束；请先办结，或填写理由强制结束"))
            let closeEn = try await Self.post(app, "\(path)/close?lang=en", token: team.pudong, form: [:])
            #expect(closeEn.flash.hasPrefix("error:incident \(id) has 5 task(s) not signed off (#"), "\(closeEn.flash)")
            #expect(closeEn.flash.contains(" Dispatch buses to carry the stranded passengers"))
            #expect(closeEn.flash.hasSuffix("); sign them off first, or give a reason to close anyway"))
            let blank = try await Self.post(
                app, "\(path)/close?lang=en", token: team.pudong, form: ["override_reason": " "])
            #expect(blank.flash == "error:the reason to close anyway must be 1–500 characters")

            let empty = try await Self.post(app, "\(path)/message", token: team.transport, form: ["text": " "])
            #expect(empty.flash == "error:消息须为 1–2000 个字")
            let count = try await Self.post(
                app, "\(path)/request?lang=en", token: team.pudong, form: ["kind": "bus", "count": "900"])
            #expect(count.flash == "error:The count must be 1–500")
            let notCommander = try await Self.post(
                app, "\(path)/request", token: team.transport, form: ["kind": "bus", "count": "3"])
            #expect(notCommander.flash == "error:只有主办单位（浦东新区城市运行管理中心）或辖区覆盖事件区域的城运中心可以请求资源")
            let again = try await Self.post(app, "\(path)/plan?lang=en", token: team.pudong, form: [:])
            #expect(again.flash == "ok:That plan was started before; nothing was done again")
            let twice = try await Self.post(
                app, "\(path)/accept?lang=en", token: team.trafficPolice,
                form: ["task_id": "\(try await Self.policeTask(app, id: id, team: team))"])
            #expect(twice.flash.hasPrefix("ok:"))
            let police = try await Self.policeTask(app, id: id, team: team)
            let step = try await Self.post(
                app, "\(path)/accept?lang=en", token: team.trafficPolice, form: ["task_id": "\(police)"])
            #expect(step.flash == "error:task \(police) cannot be accepted: it is already accepted")
            let stepZh = try await Self.post(
                app, "\(path)/accept", token: team.trafficPolice, form: ["task_id": "\(police)"])
            #expect(stepZh.flash == "error:任务 \(police) 不能签收：任务已签收")
            for page in [zh, en, close, closeEn, blank, empty, count, notCommander, step, stepZh] {
                #expect(!page.flash.contains("_"), "\(page.flash)")  // no codes such as not_taking_part
            }
        }
    }

    static func policeTask(_ app: Application, id: Int, team: F.Team) async throws -> Int {
        let detail = try await F.send(app, .GET, "/api/v1/incidents/\(id)", token: team.city)
        let tasks = detail["tasks"] as? [[String: Any]] ?? []
        return try #require(tasks.first { $0["unit_code"] as? String == "310115.traffic_police" }?["id"] as? Int)
    }
}
