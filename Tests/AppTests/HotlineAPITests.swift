import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// 12345 intake through HTTP: stored first, then dispatched, merged or queued; bad input refused with nothing stored.
@Suite struct HotlineAPITests {
    static let renovation = "北蔡镇莲溪路一小区楼上装修，每天早上七点就开始电钻声，吵得无法休息"

    /// Posts a call with the 12345 system's key; returns the status and, for 201, the report.
    static func post(
        _ app: Application, key: String, _ body: [String: String]
    ) async throws -> (HTTPStatus, HotlineReportDTO?, String) {
        var result: (HTTPStatus, HotlineReportDTO?, String) = (.internalServerError, nil, "")
        try await app.testing().test(
            .POST, "/api/v1/hotline/reports",
            beforeRequest: { req in
                req.headers.replaceOrAdd(name: "X-API-Key", value: key)
                try req.content.encode(body, as: .json)
            },
            afterResponse: { res in
                result = (
                    res.status, res.status == .created ? try res.content.decode(HotlineReportDTO.self) : nil,
                    res.body.string
                )
            })
        return result
    }

    @Test func aClearComplaintBecomesADispatchedCaseAtItsStreet() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let (status, dto, _) = try await Self.post(app, key: key, ["text": Self.renovation, "channel": "phone"])
            #expect(status == .created)
            let report = try #require(dto)
            #expect(report.triageState == .done)
            #expect(report.triage?.outcome.code == "dispatched")
            #expect(report.triage?.categoryCode == "noise.renovation")
            #expect(report.triage?.regionCode == "310115105")  // 北蔡镇
            #expect(report.triage?.locateMethod == "address_text")
            let caseID = try #require(report.caseID)
            let stored = try #require(try await Case.find(caseID, on: app.db))
            #expect(stored.categoryCode == "noise.renovation")
            #expect(stored.regionCode == "310115105")
            #expect(stored.unitCode == report.triage?.outcome.caseLink?.unitCode)
            #expect(stored.state == .dispatched)
            let events = try await CaseEvent.query(on: app.db).filter(\.$caseID == caseID).sort(\.$id).all()
            #expect(events.map(\.action.rawValue) == ["accept", "register", "forward", "dispatch"])
            #expect(events[0].actor == "12345:test client")
            let row = try #require(try await Report.find(report.id, on: app.db))
            #expect(row.channel == .phone)
            #expect(row.source == .hotline)
            #expect(row.caseID == caseID)
        }
    }

    @Test func anUnclearMessageWaitsInTheTriageQueueAndACorrectionDispatchesIt() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, _ in
            let key = try await TestApp.apiKey(app)
            let text = "浦东新区花木街道这边最近一直有问题，希望有关部门管一管"
            let (status, dto, _) = try await Self.post(app, key: key, ["text": text, "channel": "wechat"])
            #expect(status == .created)
            let report = try #require(dto)
            #expect(report.triageState == .queued)
            #expect(report.caseID == nil)
            #expect(report.triage?.reason == "no fine category recognised in the text")
            #expect(try await Case.query(on: app.db).count() == 0)

            let pudong = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            let huangpu = try await TestApp.login(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/api/v1/triage", headers: .bearer(huangpu)) { res in
                let list = try res.content.decode(TriageController.ListResponse.self)
                #expect(list.total == 0)
            }
            try await app.testing().test(
                .POST, "/api/v1/triage/\(report.id)", headers: .bearer(huangpu),
                beforeRequest: {
                    try $0.content.encode(["category_code": "sanitation.garbage"])
                }, afterResponse: { res in #expect(res.status == .notFound) })
            try await app.testing().test(.GET, "/api/v1/triage", headers: .bearer(pudong)) { res in
                let list = try res.content.decode(TriageController.ListResponse.self)
                #expect(list.items.map(\.id) == [report.id])
            }
            try await app.testing().test(
                .POST, "/api/v1/triage/\(report.id)", headers: .bearer(pudong),
                beforeRequest: {
                    try $0.content.encode(["category_code": "noise"])
                },
                afterResponse: { res in
                    #expect(res.status == .badRequest)
                    #expect(res.body.string.contains("sub-categories"))
                })
            try await app.testing().test(
                .POST, "/api/v1/triage/\(report.id)", headers: .bearer(pudong),
                beforeRequest: {
                    try $0.content.encode(["category_code": "sanitation.garbage", "note": "居民反映垃圾堆放"])
                },
                afterResponse: { res in
                    #expect(res.status == .ok)
                    let decided = try res.content.decode(HotlineReportDTO.self)
                    #expect(decided.triageState == .done)
                    #expect(decided.caseID != nil)
                    #expect(decided.triage?.categoryCode == "sanitation.garbage")
                })
            let example = try #require(try await TrainingExample.query(on: app.db).first())
            #expect(example.text == text)
            #expect(example.categoryCode == "sanitation.garbage")
            #expect(example.theme == "环境保护")
            #expect(example.actor == "pd.op")
            #expect(example.modelCategoryCode == nil)
            let record = try #require(try await Case.query(on: app.db).first())
            #expect(record.regionCode == "310115016")  // 花木街道, named in the text
            // A second decision on the same report is refused: it left the queue.
            try await app.testing().test(
                .POST, "/api/v1/triage/\(report.id)", headers: .bearer(pudong),
                beforeRequest: {
                    try $0.content.encode(["category_code": "sanitation.garbage"])
                }, afterResponse: { res in #expect(res.status == .conflict) })
            #expect(try await Case.query(on: app.db).count() == 1)
        }
    }

    @Test func tenOperatorsDecidingTheSameReportAtOnceOpenOneCase() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let (_, dto, _) = try await Self.post(app, key: key, ["text": "请问社保卡怎么补办", "channel": "web"])
            let id = try #require(dto?.id)
            let token = try await TestApp.login(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        var status = HTTPStatus.internalServerError
                        try await app.testing().test(
                            .POST, "/api/v1/triage/\(id)", headers: .bearer(token),
                            beforeRequest: {
                                if index % 2 == 0 {
                                    try $0.content.encode(["category_code": "sanitation.garbage"])
                                } else {
                                    try $0.content.encode(DismissBody(dismiss: true, note: "重复"))
                                }
                            }, afterResponse: { status = $0.status })
                        return status
                    }
                }
                var all: [HTTPStatus] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 9, "\(statuses)")
            let cases = try await Case.query(on: app.db).count()
            let examples = try await TrainingExample.query(on: app.db).count()
            let state = try await Report.find(id, on: app.db)?.triageState
            #expect(state == .done ? cases == 1 && examples == 1 : cases == 0 && examples == 0 && state == .dismissed)
        }
    }

    @Test func aQueuedReportCanBeDismissedWithAReason() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let (_, dto, _) = try await Self.post(app, key: key, ["text": "请问社保卡怎么补办", "channel": "web"])
            let report = try #require(dto)
            let token = try await TestApp.login(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(
                .POST, "/api/v1/triage/\(report.id)", headers: .bearer(token),
                beforeRequest: {
                    try $0.content.encode(DismissBody(dismiss: true, note: nil))
                }, afterResponse: { res in #expect(res.status == .badRequest) })
            try await app.testing().test(
                .POST, "/api/v1/triage/\(report.id)", headers: .bearer(token),
                beforeRequest: {
                    try $0.content.encode(DismissBody(dismiss: true, note: "咨询类，已转人社12333"))
                },
                afterResponse: { res in
                    #expect(res.status == .ok)
                    let decided = try res.content.decode(HotlineReportDTO.self)
                    #expect(decided.triageState == .dismissed)
                    #expect(decided.triage?.reason == "dismissed by city.op: 咨询类，已转人社12333")
                })
            let worker = try await TestApp.login(
                app, username: "grid", unit: "310101002.operations_centre", role: .gridWorker)
            try await app.testing().test(.GET, "/api/v1/triage", headers: .bearer(worker)) { res in
                #expect(res.status == .forbidden)
            }
        }
    }

    struct DismissBody: Content {
        var dismiss: Bool
        var note: String?
    }

    @Test func aSecondCallAboutTheSameIncidentMergesIntoTheOpenCase() async throws {
        try await TestApp.withApp { app, clock in
            let key = try await TestApp.apiKey(app)
            let (_, first, _) = try await Self.post(app, key: key, ["text": Self.renovation, "channel": "phone"])
            clock.advance(by: 1800)
            let (status, second, _) = try await Self.post(
                app, key: key,
                [
                    "text": "北蔡镇莲溪路小区有人装修，电钻声音太吵了，早上七点就开始", "channel": "app",
                ])
            #expect(status == .created)
            let caseID = try #require(first?.caseID)
            #expect(second?.caseID == caseID)
            #expect(second?.triage?.outcome.code == "merged")
            #expect(second?.triage?.outcome.mergeReasons?.first == "same category noise.renovation")
            let stored = try #require(try await Case.find(caseID, on: app.db))
            #expect(stored.reportCount == 2)
            #expect(stored.version == 1)
            #expect(try await Case.query(on: app.db).count() == 1)
            let merge = try await CaseEvent.query(on: app.db).filter(\.$action == .mergeReport).all()
            #expect(merge.count == 1)
            #expect(merge.first?.caseID == caseID)
            #expect(merge.first?.actor == "12345:test client")

            // A different complaint at the same street is not merged.
            let (_, other, _) = try await Self.post(
                app, key: key, ["text": "北蔡镇莲溪路一个工地夜间施工，打桩声音很大", "channel": "phone"])
            #expect(other?.caseID != caseID)
            #expect(other?.triage?.outcome.code == "dispatched")
        }
    }

    @Test func anOperatorSplitsAWronglyMergedReportIntoItsOwnCase() async throws {
        try await TestApp.withApp { app, clock in
            let key = try await TestApp.apiKey(app)
            let (_, first, _) = try await Self.post(app, key: key, ["text": Self.renovation, "channel": "phone"])
            clock.advance(by: 600)
            let (_, second, _) = try await Self.post(
                app, key: key,
                [
                    "text": "北蔡镇莲溪路小区有人装修，电钻声音太吵了，早上七点就开始", "channel": "app",
                ])
            let caseID = try #require(first?.caseID)
            let firstID = try #require(first?.id)
            let secondID = try #require(second?.id)
            #expect(second?.caseID == caseID)
            let token = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            let path = "/api/v1/cases/\(caseID)/reports"
            try await app.testing().test(
                .POST, "\(path)/\(secondID)/split", headers: .bearer(token),
                beforeRequest: {
                    try $0.content.encode(["note": ""])
                }, afterResponse: { res in #expect(res.status == .badRequest) })
            try await app.testing().test(
                .POST, "\(path)/\(firstID)/split", headers: .bearer(token),
                beforeRequest: {
                    try $0.content.encode(["note": "不是同一件事"])
                }, afterResponse: { res in #expect(res.status == .conflict) })
            let worker = try await TestApp.login(
                app, username: "worker", unit: "310115105.operations_centre", role: .gridWorker)
            try await app.testing().test(
                .POST, "\(path)/\(secondID)/split", headers: .bearer(worker),
                beforeRequest: {
                    try $0.content.encode(["note": "不是同一件事"])
                },
                afterResponse: { res in
                    // One role check for API and console, with its own words (not the triage desk's).
                    #expect(res.status == .forbidden)
                    #expect(res.body.string.contains("may not split reports off cases"), "\(res.body.string)")
                })

            var newCaseID = 0
            try await app.testing().test(
                .POST, "\(path)/\(secondID)/split", headers: .bearer(token),
                beforeRequest: {
                    try $0.content.encode(["note": "另一栋楼的装修", "category_code": "noise.renovation"])
                },
                afterResponse: { res in
                    #expect(res.status == .created)
                    let detail = try res.content.decode(CaseDetailDTO.self)
                    newCaseID = detail.summary.id
                    #expect(detail.reports.map(\.id) == [secondID])
                    #expect(detail.summary.state == "dispatched")
                    #expect(detail.locateMethod == "address_text")
                })
            #expect(newCaseID != caseID && newCaseID > 0)
            let old = try #require(try await Case.find(caseID, on: app.db))
            #expect(old.reportCount == 1)
            let split = try await CaseEvent.query(on: app.db).filter(\.$action == .splitReport).all()
            #expect(split.map(\.caseID) == [caseID])
            #expect(split.first?.actor == "pd.op")
            #expect(split.first?.note == "report #\(secondID) split off to case #\(newCaseID): 另一栋楼的装修")
            try await app.testing().test(.GET, "/api/v1/hotline/reports/\(secondID)", headers: ["X-API-Key": key]) {
                res in
                let moved = try res.content.decode(HotlineReportDTO.self)
                #expect(moved.caseID == newCaseID)
                #expect(moved.triage?.outcome.caseLink?.caseID == newCaseID)
                #expect(moved.triage?.outcome.code == "dispatched")
                #expect(moved.triage?.reason == "split off case #\(caseID) by pd.op: 另一栋楼的装修")
            }
            // Now the case has one report left: nothing more to split.
            try await app.testing().test(
                .POST, "\(path)/\(firstID)/split", headers: .bearer(token),
                beforeRequest: {
                    try $0.content.encode(["note": "再拆"])
                }, afterResponse: { res in #expect(res.status == .conflict) })
            try await app.testing().test(
                .POST, "\(path)/\(secondID)/split", headers: .bearer(token),
                beforeRequest: {
                    try $0.content.encode(["note": "再拆"])
                }, afterResponse: { res in #expect(res.status == .notFound) })
        }
    }

    @Test func badInputIsRefusedAndNothingIsStored() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let cases: [([String: String], String)] = [
                (["text": "", "channel": "phone"], "text must not be empty"),
                (["text": "   \n ", "channel": "phone"], "text must not be empty"),
                (["text": String(repeating: "吵", count: 4001), "channel": "phone"], "at most 4000"),
                (["text": "噪音\u{7}扰民", "channel": "phone"], "control character U+0007"),
                (["text": "噪音扰民", "channel": "fax"], "unknown channel 'fax'"),
                (["text": "噪音扰民"], "missing field 'channel'"),
                (["text": "噪音扰民", "channel": "phone", "caller_phone": "call me"], "caller_phone"),
                (["text": "噪音扰民", "channel": "phone", "received_at": "2030-01-01T00:00:00+08:00"], "in the future"),
                (
                    ["text": "噪音扰民", "channel": "phone", "received_at": "yesterday"],
                    "expected an ISO 8601 timestamp with offset"
                ),
                (["text": "噪音\u{202E}扰民", "channel": "phone"], "control character U+202E"),
                (["text": "噪音扰民", "channel": "phone", "caller_phone": "+-()"], "at least 3 digits"),
            ]
            for (body, message) in cases {
                let (status, _, text) = try await Self.post(app, key: key, body)
                #expect(status == .badRequest, "\(body)")
                #expect(text.contains(message), "\(text)")
            }
            let (status, _, _) = try await Self.post(app, key: "wrong", ["text": "噪音扰民", "channel": "phone"])
            #expect(status == .unauthorized)
            try await app.testing().test(
                .POST, "/api/v1/hotline/reports",
                beforeRequest: { req in
                    req.headers.replaceOrAdd(name: "X-API-Key", value: key)
                    req.headers.contentType = .json
                    req.body = ByteBuffer(
                        bytes: Array(#"{"text":"噪音"#.utf8) + [0xFF, 0xFE] + Array(#"","channel":"phone"}"#.utf8))
                }, afterResponse: { res in #expect(res.status == .badRequest) })
            #expect(try await Report.query(on: app.db).count() == 0)
        }
    }

    @Test func emojiMarkupAndForeignTextAreStoredAsTheyCame() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            for text in ["楼上装修太吵了😡😡", "<script>alert('x')</script>楼道堆放杂物", "My neighbour's dog barks all night"] {
                let (status, dto, _) = try await Self.post(app, key: key, ["text": text, "channel": "web"])
                #expect(status == .created)
                #expect(dto?.text == text)
                #expect(dto?.triageState == .done || dto?.triageState == .queued)
            }
            #expect(try await Report.query(on: app.db).count() == 3)
        }
    }

    @Test func readingBackIsScopedToTheSenderAndTheOperatorsRegion() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let (_, dto, _) = try await Self.post(app, key: key, ["text": Self.renovation, "channel": "phone"])
            let id = try #require(dto?.id)
            let other = try await Access.createAPIKey(
                name: "other", scopes: [.hotline], on: app.db, now: app.clock.now()
            ).1
            try await app.testing().test(.GET, "/api/v1/hotline/reports/\(id)", headers: ["X-API-Key": key]) { res in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.GET, "/api/v1/hotline/reports/\(id)", headers: ["X-API-Key": other]) { res in
                #expect(res.status == .notFound)
            }
            let huangpu = try await TestApp.login(
                app, username: "hp.reader", unit: "310101.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/api/v1/hotline/reports/\(id)", headers: .bearer(huangpu)) { res in
                #expect(res.status == .notFound)
            }
            let pudong = try await TestApp.login(
                app, username: "pd.reader", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/api/v1/hotline/reports/\(id)", headers: .bearer(pudong)) { res in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.GET, "/api/v1/hotline/reports/\(id)") { res in
                #expect(res.status == .unauthorized)
            }
        }
    }

    @Test func aCallNamingNoPlaceStaysWithTheCentreThatTookIt() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await TestApp.login(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            var id = 0
            try await app.testing().test(
                .POST, "/api/v1/hotline/reports", headers: .bearer(token),
                beforeRequest: {
                    try $0.content.encode(["text": "小区消防通道被私家车堵死了，消防车根本进不来", "channel": "phone"])
                },
                afterResponse: { res in
                    #expect(res.status == .created)
                    let dto = try res.content.decode(HotlineReportDTO.self)
                    id = dto.id
                    #expect(dto.triageState == .queued)
                    #expect(dto.triage?.categoryCode == "parking.fire_lane")
                    #expect(dto.triage?.regionCode == "310101")
                    #expect(dto.triage?.locateMethod == "none")
                    #expect(dto.triage?.reason?.contains("no place recognised") == true)
                })
            // The same without a place from the 12345 system: the city centre's queue, never a city bureau.
            let key = try await TestApp.apiKey(app)
            let (_, city, _) = try await Self.post(app, key: key, ["text": "楼上装修噪音", "channel": "phone"])
            #expect(city?.triageState == .queued)
            #expect(city?.triage?.regionCode == "310000")
            #expect(try await Case.query(on: app.db).count() == 0)
            try await app.testing().test(.GET, "/api/v1/triage", headers: .bearer(token)) { res in
                let list = try res.content.decode(TriageController.ListResponse.self)
                #expect(list.items.map(\.id) == [id])
            }
            // The operator picks the street: dispatched there, the example kept, the note in the record.
            try await app.testing().test(
                .POST, "/api/v1/triage/\(id)", headers: .bearer(token),
                beforeRequest: {
                    try $0.content.encode([
                        "category_code": "parking.fire_lane", "region_code": "310101002", "note": "来电补充：南京东路",
                    ])
                },
                afterResponse: { res in
                    #expect(res.status == .ok)
                    let dto = try res.content.decode(HotlineReportDTO.self)
                    #expect(dto.triage?.regionCode == "310101002")
                    #expect(dto.triage?.locateMethod == "operator_choice")
                    #expect(dto.triage?.reason == "categorised by hp.op: 来电补充：南京东路")
                })
            let record = try #require(try await Case.query(on: app.db).first())
            #expect(record.regionCode == "310101002")
            let accept = try #require(try await CaseEvent.query(on: app.db).filter(\.$action == .accept).first())
            #expect(accept.actor == "hp.op")
            #expect(accept.actorUnitCode == "310101.operations_centre")
            #expect(try await Report.find(id, on: app.db)?.triagedBy == "hp.op")
        }
    }

    @Test func callTakersSeeTheirOwnCallsAndOnlyCentresTakeCalls() async throws {
        try await TestApp.withApp { app, _ in
            let huangpu = try await TestApp.login(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            var id = 0
            try await app.testing().test(
                .POST, "/api/v1/hotline/reports", headers: .bearer(huangpu),
                beforeRequest: {
                    try $0.content.encode(["text": Self.renovation, "channel": "phone"])
                },
                afterResponse: { res in
                    let dto = try res.content.decode(HotlineReportDTO.self)
                    id = dto.id
                    #expect(dto.triage?.regionCode == "310115105")  // located to 浦东's 北蔡镇, outside the taker's district
                })
            try await app.testing().test(.GET, "/api/v1/hotline/reports/\(id)", headers: .bearer(huangpu)) { res in
                #expect(res.status == .ok)
            }
            let other = try await TestApp.login(
                app, username: "hp.other", unit: "310101.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/api/v1/hotline/reports/\(id)", headers: .bearer(other)) { res in
                #expect(res.status == .notFound)
            }
            let caseworker = try await TestApp.login(app, username: "pd.cw", unit: "310115.housing", role: .caseworker)
            try await app.testing().test(
                .POST, "/api/v1/hotline/reports", headers: .bearer(caseworker),
                beforeRequest: {
                    try $0.content.encode(["text": Self.renovation, "channel": "phone"])
                }, afterResponse: { res in #expect(res.status == .forbidden) })
            #expect(try await Report.query(on: app.db).count() == 1)
        }
    }

    @Test func identicalCallsAtOnceMakeOneCase() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let ids = try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await Self.post(app, key: key, ["text": "张江镇祖冲之路工地夜间施工噪音扰民，凌晨还在打桩", "channel": "phone"]).1?
                            .caseID
                    }
                }
                var all: [Int?] = []
                for try await id in group { all.append(id) }
                return all
            }
            #expect(Set(ids.compactMap { $0 }).count == 1, "\(ids)")
            let record = try #require(try await Case.query(on: app.db).first())
            #expect(record.reportCount == 12)
            #expect(try await Case.query(on: app.db).count() == 1)
            let merges = try await CaseEvent.query(on: app.db).filter(\.$action == .mergeReport).all()
            #expect(merges.count == 11)
            #expect(merges.allSatisfy { $0.actor == "12345:test client" })
        }
    }

    @Test func aPendingReportIsTriagedByTheRetry() async throws {
        try await TestApp.withApp { app, _ in
            let report = Report()
            report.receivedAt = app.clock.now()
            report.source = .hotline
            report.description = Self.renovation
            report.channel = .phone
            report.triageState = .pending
            report.regionCode = "310000"
            try await report.create(on: app.db)
            let broken = Report()
            broken.receivedAt = app.clock.now()
            broken.source = .hotline
            broken.description = "北蔡镇莲溪路工地夜间施工，打桩声音很大 FAILME"
            broken.triageState = .pending
            broken.regionCode = "310000"
            try await broken.create(on: app.db)
            // The database refuses this one's case: it stays pending, the other is still triaged.
            let sql = try app.db.sql()
            if app.config.storage.kind == "sqlite" {
                try await sql.raw(
                    """
                    CREATE TRIGGER fail_me BEFORE INSERT ON cases WHEN NEW.description LIKE '%FAILME%'
                    BEGIN SELECT RAISE(ABORT, 'refused for the test'); END
                    """
                ).run()
            } else {
                try await sql.raw(
                    """
                    CREATE FUNCTION fail_me() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                    IF NEW.description LIKE '%FAILME%' THEN RAISE EXCEPTION 'refused for the test'; END IF;
                    RETURN NEW; END $$
                    """
                ).run()
                try await sql.raw(
                    "CREATE TRIGGER fail_me BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION fail_me()"
                ).run()
            }
            let count = try await HotlineRecovery.run(HotlineContext(app, now: app.clock.now(), logger: app.logger))
            #expect(count == 1)
            #expect(try await Report.find(broken.id, on: app.db)?.triageState == .pending)
            let stored = try #require(try await Report.find(report.id, on: app.db))
            #expect(stored.triageState == .done)
            #expect(stored.caseID != nil)
            #expect(stored.regionCode == "310115105")
        }
    }
}
