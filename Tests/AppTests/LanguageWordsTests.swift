import CityDomain
import Foundation
import Hotline
import Testing
import Vapor
import VaporTesting

@testable import App

/// The triage desk's and the search's refusals, the request-form refusals a console page can show, and triage
/// reasons of older records, in the catalogue's two languages (issue #12 §6): the API's English `reason` unchanged,
/// a Chinese page with no English sentence and an English page with no Han character but the citizen's words.
@Suite struct LanguageWordsTests {
    /// Each refusal with the English the API answered before the catalogue worded it, byte for byte.
    static let triageProblems: [(TriageProblem, String)] = [
        (.reasonMissing, "Forwarding needs a reason"),
        (.reasonTooLong(501), "A reason is at most 500 characters; this one has 501"),
        (.unitMissing, "Choose the unit to forward to (unit_code)"),
        (.unknownUnit("310115.x"), "No unit has the code or name '310115.x'"),
        (
            .unitOutsideScope("310101.transport", region: "310115"),
            "Unit '310101.transport' is outside your area (310115)"
        ),
        (
            .unitNotServing("310101.transport", region: "310115"),
            "Unit '310101.transport' does not serve region '310115': choose a unit of that region, one above it or inside it"
        ),
        (.categoryMissing, "The report has no suggested category; give category_code"),
        (.noneSelected, "Select at least one report (report_ids)"),
        (.tooMany(201), "At most 200 reports per bulk decision; 201 were given"),
        (.bulkActionMissing, "Give either dismiss: true with a note, or category_code — one of them"),
    ]

    static let searchProblems: [(SearchProblem, String)] = [
        (.emptyQuery, "Type something to search for"),
        (.queryTooLong(51), "A search is at most 50 characters; this one has 51"),
        (.unknownDistrict("999999"), "No district has the code '999999'"),
        (.unknownStreet("310115"), "No street or town has the code '310115'"),
        (.outsideScope("310101"), "Region '310101' is outside your scope"),
        (.unknownUnit("nope"), "No unit has the code 'nope'"),
        (.unknownCategory("nope"), "No category has the code 'nope'"),
        (
            .unknownState("lost"),
            "No case state is called 'lost' (one of \(CaseState.allCases.map(\.rawValue).joined(separator: ", ")))"
        ),
        (.badOverdue("maybe"), "overdue is true or false, not 'maybe'"),
        (.badDate(field: "from", value: "2026-02-30"), "from must be a date YYYY-MM-DD, not '2026-02-30'"),
        (.badDate(field: "to", value: "x"), "to must be a date YYYY-MM-DD, not 'x'"),
        (.windowReversed, "The window ends before it starts"),
        (
            .unknownChannel("fax"),
            "No channel is called 'fax' (one of "
                + (ReportSource.allCases.map(\.rawValue) + HotlineChannel.allCases.map(\.rawValue))
                .joined(separator: ", ") + ")"
        ),
        (.badCursor, "cursor is not one this server gave (use next_cursor as it came)"),
        (.badLimit(0), "limit must be 1…100, got 0"),
    ]

    /// Refusals of a request's form that console pages can show (photo uploads, a photo's, an alarm's or a
    /// report's address, bulk dismissal), with their API English unchanged.
    static let formRefusals: [(LocalizedRefusal, String)] = [
        (.init(.badRequest, "triage.dismiss_note"), "dismissing a report needs a note giving the reason"),
        (.init(.badRequest, "photo.id_not_uuid"), "photo id must be a UUID"),
        (.init(.badRequest, "alarm.id_not_integer"), "alarm id must be an integer"),
        (.init(.notFound, "alarm.not_found", ["id": "4"]), "alarm 4 not found"),
        (.init(.badRequest, "report.id_not_integer"), "report id must be an integer"),
        (.init(.notFound, "triage.not_found", ["id": "4"]), "hotline report 4 not found"),
        (
            .init(.badRequest, "triage.category_too_long", ["n": "101"]),
            "category must be at most 100 characters, got 101"
        ),
        (.init(.badRequest, "body.no_boundary"), "multipart body without a boundary"),
        (
            .init(.badRequest, "body.cut_off"),
            "the multipart body is cut off (its closing boundary is missing); nothing was stored, send it again"
        ),
        (
            .init(.badRequest, "body.malformed", ["detail_en": "bad header", "detail_zh": ""]),
            "the multipart body is malformed (bad header); nothing was stored"
        ),
        (
            .init(.badRequest, "body.stray_file", ["name": "file"]),
            "a file came in field 'file'; photos go in 'photos[]' (nothing was stored)"
        ),
    ]

    @Test func refusalsKeepTheirEnglishAndReadInEitherLanguageOnPages() throws {
        let reference = try CityReference.shanghaiDefault()
        let messages =
            Self.triageProblems.map { ($0.0.message, $0.1, $0.0.reason) }
            + Self.searchProblems.map { ($0.0.message, $0.1, $0.0.abort.reason) }
            + Self.formRefusals.map { ($0.0.message, $0.1, $0.0.reason) }
        for (message, english, reason) in messages {
            #expect(reason == english)
            #expect(MessageCatalogue.entries[message.code] != nil, "\(message.code)")
            let zh = message.text(.zh, reference: reference)
            #expect(LanguageCheck.englishSentences(in: zh).isEmpty, "\(message.code): \(zh)")
            #expect(!LanguageCheck.han(in: zh).isEmpty, "\(message.code): \(zh)")
            let en = message.text(.en, reference: reference)
            #expect(LanguageCheck.han(in: en).isEmpty, "\(message.code): \(en)")
        }
        // On pages the codes a refusal names are named in the page's language.
        let outside = TriageProblem.unitOutsideScope("310101.transport", region: "310115").message
        let unit = reference.unitName("310101.transport", in: .zh)
        #expect(unit != "310101.transport")
        #expect(outside.text(.zh, reference: reference) == "责任单位 \(unit) 不在您的管辖范围（浦东新区）内")
        #expect(Refusal.text(SearchProblem.unknownState("lost"), .zh, reference: reference).contains("已受理、已立案"))
    }

    /// Every sentence the Hotline module ever wrote for a queued report (its three person reasons, at any figures)
    /// is recognised in a record from before `reason_message` and worded as a new record's message.
    @Test func everyOldQueueReasonIsWorded() {
        typealias Reason = HotlineTriageResult.PersonReason
        var reasons: [Reason] = [.noCategory, .noPlace]
        for (confidence, threshold) in [(0.0, 0.4), (0.399, 0.4), (0.555, 0.6), (0.99, 1.0), (1.0, 1.0)] {
            reasons.append(.lowConfidence(confidence: confidence, threshold: threshold))
        }
        for reason in reasons {
            #expect(TriageReasonText.storedMessage(reason.description) == reason.message, "\(reason.description)")
        }
        #expect(TriageReasonText.storedMessage("dismissed by city.op: 咨询类") == nil)
    }

    /// The search desk refuses in the page's language with states named; the triage desk's bulk form too; the
    /// triage desk in either language shows no sentence of the other once the citizen's marked words are left out.
    @Test func searchAndTriageDesksSpeakThePagesLanguage() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            _ = try await TriageDeskTests.queue(app, clock: clock, [TriageDeskTests.vague[0]])
            let caseID = try await SearchTests.register(app, "井盖缺失", address: "世纪大道100号")
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            for language in ["zh", "en"] {
                let headers: HTTPHeaders = ["Cookie": cookie + "; \(ConsoleSession.languageCookie)=\(language)"]
                let pages: [(String, HTTPStatus, String, String)] = [
                    (
                        "/console/search?q=a&state=lost", .badRequest, "没有名为 lost 的案件状态（可选：已受理、",
                        "No case state is called"
                    ),
                    ("/console/search?q=a&district=310101", .forbidden, "区域 黄浦区 不在您的管辖范围内", "Region "),
                    ("/console/search?q=%E4%BA%95", .ok, "共 1 条", "1 found"),
                    ("/console/cases/\(caseID)/photos/abc", .badRequest, "照片编号须为 UUID", "photo id must be a UUID"),
                    (
                        "/console/triage", .ok, "data-own-words>\(TriageDeskTests.vague[0])",
                        "data-own-words>\(TriageDeskTests.vague[0])"
                    ),
                ]
                for (path, status, zh, en) in pages {
                    try await app.testing().test(.GET, path, headers: headers) { res in
                        #expect(res.status == status, "\(path)")
                        #expect(res.body.string.contains(language == "zh" ? zh : en), "\(path) \(language)")
                        LanguageTests.expectOneLanguage(res.body.string, language, path, ownWords: [])
                    }
                }
                try await app.testing().test(
                    .POST, "/console/triage/bulk", headers: headers,
                    beforeRequest: { req in
                        try req.content.encode(
                            ["action": "dismiss", "_csrf": ConsoleTests.csrf(forCookie: cookie)], as: .urlEncodedForm)
                    },
                    afterResponse: { res in
                        let expected = language == "zh" ? "请至少选择一条来件" : "Select at least one report (report_ids)"
                        #expect(ConsoleTests.flash(res) == "error:\(expected)")
                    })
            }
        }
    }
}
