import CityDomain
import ConsoleKitTerminal
import Fluent
import Foundation
import Hotline
import NIOConcurrencyHelpers
import Testing
import Vapor

@testable import App

/// A console that keeps what commands print.
final class CapturingConsole: Console, @unchecked Sendable {
    private let lines = NIOLockedValueBox<[String]>([])
    var printed: [String] { lines.withLockedValue { $0 } }
    var size: (width: Int, height: Int) { (120, 40) }
    var userInfo: [AnySendableHashable: any Sendable] = [:]
    func input(isSecure: Bool) -> String { "" }
    func output(_ text: ConsoleKitTerminal.ConsoleText, newLine: Bool) {
        let string = text.fragments.map(\.string).joined()
        lines.withLockedValue { $0 += string.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }
    func clear(_ type: ConsoleClear) {}
    func report(error: String, newLine: Bool) {
        output(ConsoleKitTerminal.ConsoleText(stringLiteral: error), newLine: newLine)
    }
}

/// `citynet hotline route-eval` and `train --router` (issue 10 §2, §4), and operators' routing decisions stored
/// as router training examples.
@Suite struct RoutingCommandTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("routing-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func run(_ app: Application, _ command: any AsyncCommand, _ arguments: [String]) async throws -> [String] {
        let console = CapturingConsole()
        var context = CommandContext(console: console, input: CommandInput(arguments: ["citynet"] + arguments))
        context.application = app
        try await command.run(using: &context)
        return console.printed
    }

    @Test func routeEvalPrintsTheFiguresEndingWithFirstDispatchAccuracy() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("eval.csv")
        try """
        text,unit_kind,noise_scenario
        孩子今年秋季入学，学区划分问题咨询,education,
        公交车线路调整后末班车太早,transport,
        小区旁边工地夜间施工，噪音扰民,chengguan,construction_site
        社保补缴政策咨询,other,
        """.write(to: csv, atomically: true, encoding: .utf8)
        try await TestApp.withApp { app, _ in
            let lines = try await Self.run(app, RouteEvalCommand(), ["--data", csv.path])
            #expect(lines.contains("rows 4"))
            #expect(lines.contains { $0.hasPrefix("dispatched ") })
            #expect(lines.contains { $0.hasPrefix("queued ") })
            #expect(lines.contains { $0.hasPrefix("precision_dispatched ") })
            #expect(lines.contains("noise_scenario_accuracy 1.0000 (1 noise rows)"))
            let last = try #require(lines.last { !$0.isEmpty })
            #expect(last.hasPrefix("first_dispatch_accuracy "))
            let value = try #require(Double(last.split(separator: " ")[1]))
            #expect(value >= 0.5 && value <= 0.75)  // `other` is never dispatched
            let curve = try await Self.run(
                app, RouteEvalCommand(), ["--data", csv.path, "--curve", "--threshold", "0"])
            #expect(curve.contains { $0.hasPrefix("threshold  queued  precision_dispatched") })
            #expect(curve.contains("threshold 0.00"))
        }
    }

    @Test func routeEvalRefusesBadInputPrecisely() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.csv")
        try "text,label\n学校收费,education\n".write(to: missing, atomically: true, encoding: .utf8)
        let unknown = folder.appendingPathComponent("unknown.csv")
        try "text,unit_kind\n学校收费,education\n着火了,fire_brigade\n".write(to: unknown, atomically: true, encoding: .utf8)
        try await TestApp.withApp { app, _ in
            await #expect {
                _ = try await Self.run(app, RouteEvalCommand(), ["--data", missing.path])
            } throws: { error in
                "\(error)".contains("has no column 'unit_kind' (found: text, label)")
            }
            await #expect {
                _ = try await Self.run(app, RouteEvalCommand(), ["--data", unknown.path])
            } throws: { error in
                "\(error)".contains("row 3: unit_kind 'fire_brigade' is not one of chengguan")
            }
            await #expect(throws: CommandFailure.self) {
                _ = try await Self.run(app, RouteEvalCommand(), [])
            }
            await #expect(throws: CommandFailure.self) {
                _ = try await Self.run(app, RouteEvalCommand(), ["--data", missing.path, "--threshold", "2"])
            }
        }
    }

    @Test func operatorsDecisionsBecomeRouterExamplesThatTrainUses() async throws {
        typealias API = CaseWorkflowAPITests
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let key = try await TestApp.apiKey(app)
            let text = "浦东新区花木街道这边最近一直有问题，希望有关部门管一管"
            let (_, dto, _) = try await HotlineAPITests.post(app, key: key, ["text": text, "channel": "wechat"])
            let report = try #require(dto)
            let pudong = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(
                .POST, "/api/v1/triage/\(report.id)", headers: .bearer(pudong),
                beforeRequest: { try $0.content.encode(["category_code": "sanitation.garbage"]) },
                afterResponse: { #expect($0.status == .ok) })
            let triaged = try #require(try await TrainingExample.query(on: app.db).first())
            #expect(triaged.source == "triage")
            #expect(triaged.unitKind == "greening_sanitation" || triaged.unitKind == "street_office")
            let caseID = try #require(try await Case.query(on: app.db).first()?.id)
            try await API.act(
                app, token: pudong, caseID: caseID, ["action": "reassign", "unit_code": "310115.urban_management"]
            ) { #expect($0.status == .ok) }
            let reassigned = try #require(
                try await TrainingExample.query(on: app.db).filter(\.$source == "reassign").first())
            #expect(reassigned.unitKind == "chengguan")
            #expect(reassigned.text == text)
            #expect(reassigned.actor == "pd.op")

            let csv = folder.appendingPathComponent("labels.csv")
            try "text,unit_kind\n学校乱收费,education\n孩子上学难,education\n公交车不按站停靠,transport\n出租车拒载,transport\n"
                .write(to: csv, atomically: true, encoding: .utf8)
            let out = folder.appendingPathComponent("router.json")
            let lines = try await Self.run(
                app, TrainHotlineCommand(), ["--router", "--data", csv.path, "--out", out.path, "--corrections"])
            #expect(lines.contains { $0.contains("(2 of them operators' routing decisions)") })
            let router = try UnitRouter.load(from: out, table: try RoutingTable.bundledDefault())
            #expect(Set(router.model.labels).isSuperset(of: ["chengguan", "education", "transport"]))
            _ = clock
        }
    }

    @Test func aReturnTeachesOtherAndAReassignmentTheNewUnitsKind() throws {
        let table = try RoutingTable.bundledDefault()
        #expect(RoutingExamples.label(of: .operationsCentre, level: .street, in: table) == "street_office")
        #expect(RoutingExamples.label(of: .operationsCentre, level: .district, in: table) == nil)
        #expect(RoutingExamples.label(of: .urbanManagement, level: .district, in: table) == "chengguan")
        #expect(RoutingExamples.label(of: .roadMaintenance, level: .district, in: table) == "chengguan")
        #expect(RoutingExamples.label(of: .housing, level: .street, in: table) == "street_office")
        #expect(RoutingExamples.label(of: .fireRescue, level: .district, in: table) == nil)
    }
}
