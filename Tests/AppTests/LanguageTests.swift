import CityDomain
import Fluent
import Foundation
import Hotline
import Testing
import Vapor
import VaporTesting

@testable import App

/// Every word in the operator's language (CityNet issue 12 §6): the message catalogue, refusals worded in the
/// page's language while the API keeps English, system notes stored as codes and worded at display time, and
/// pages holding no sentence of the other language apart from citizens' and operators' own words.
@Suite struct LanguageTests {
    /// The catalogue's entries: the same placeholders in both languages, no English sentence in the Chinese, no
    /// Han character in the English.
    @Test func theCatalogueSaysEachMessageInBothLanguages() {
        let placeholder = /\{[a-z_]+\}/
        for (code, entry) in MessageCatalogue.entries {
            let zh = Set(entry.zh.matches(of: placeholder).map { String($0.0) })
            let en = Set(entry.en.matches(of: placeholder).map { String($0.0) })
            #expect(zh == en, "\(code): placeholders differ")
            #expect(LanguageCheck.englishSentences(in: entry.zh).isEmpty, "\(code): English in the Chinese")
            #expect(LanguageCheck.han(in: entry.en).isEmpty, "\(code): Han characters in the English")
        }
    }

    /// The console's word tables (``ConsoleText/table(_:)``: pages, search, triage, incident room, map, trends,
    /// roles, language) as the catalogue: every key in both languages with the same placeholders, no English
    /// sentence in the Chinese, no Han character in the English (the language switch, `中文` on an English page, aside).
    @Test func theConsoleTablesSayEachWordInBothLanguages() {
        let placeholder = /\{[a-z_]+\}/
        let zh = ConsoleText.table(.zh)
        let en = ConsoleText.table(.en)
        #expect(Set(zh.keys) == Set(en.keys))
        // The language switch names the other language in it, by design.
        for (key, chinese) in zh where key != "lang_switch" {
            let english = en[key] ?? ""
            let zhHolds = Set(chinese.matches(of: placeholder).map { String($0.0) })
            let enHolds = Set(english.matches(of: placeholder).map { String($0.0) })
            #expect(zhHolds == enHolds, "\(key): placeholders differ")
            #expect(LanguageCheck.englishSentences(in: chinese).isEmpty, "\(key): English in the Chinese")
            #expect(LanguageCheck.han(in: english).isEmpty, "\(key): Han characters in the English")
        }
    }

    /// Each refusal of the case rules has a catalogue message, with codes named in the page's language; the API's
    /// reason stays the English description.
    @Test func caseRefusalsAreWordedInThePagesLanguage() throws {
        let reference = try CityReference.shanghaiDefault()
        let errors: [CaseRuleError] = [
            .illegal(CaseTransitionError(state: .handling, action: .close, reason: "")),
            .illegal(CaseTransitionError(state: .dispatched, action: .approveExtension, reason: "")),
            .roleNotAllowed(action: .return, role: .districtOperator), .noteRequired(.return),
            .photosNotTaken(.close), .callbackResultRequired, .callbackResultNotTaken(.close), .unitRequired(.dispatch),
            .unknownUnit("x"), .sameUnit("310115.water"), .unitOutsideRegion(unit: "310115.water", region: "310101"),
            .invalidExtension(40), .assigneeRequired, .alreadyAssigned("gw"), .limitNotComputable("p"),
            .notHeldByStreetCentre(action: .dispatchDown, unit: "310115.water"),
            .notTheHoldingCentre(action: .returnUp, holder: "310115.water"),
            .unitNotOfStreet(unit: "310115.water", street: "310101"), .targetRequired, .noCentreAbove("310101"),
        ]
        for error in errors {
            let message = error.message
            #expect(MessageCatalogue.entries[message.code] != nil, "\(error)")
            let zh = message.text(.zh, reference: reference)
            let en = message.text(.en, reference: reference)
            #expect(LanguageCheck.englishSentences(in: zh).isEmpty, "\(zh)")
            #expect(LanguageCheck.han(in: en).isEmpty, "\(en)")
            #expect(!zh.contains("310115.water") && !en.contains("310115.water"), "units by name: \(zh) / \(en)")
        }
        #expect(
            CaseRuleError.illegal(CaseTransitionError(state: .handling, action: .close, reason: "")).message
                .text(.zh, reference: reference) == "案件当前为“处置中”，不能结案：仅限于已核查")
        #expect(LocalizedRefusal(.notFound, "case.not_found", ["id": "7"]).reason == "case 7 not found")
    }

    /// The triage queue's reasons: the Hotline module's typed reason is kept as a message with the record and
    /// worded on the desk; the record's English `reason` is unchanged; a person's reason drops the message.
    @Test func triageReasonsAreWordedFromTheirTypedReason() {
        typealias Reason = HotlineTriageResult.PersonReason
        let low = Reason.lowConfidence(confidence: 0.42, threshold: 0.6)
        #expect(low.message.text(.zh) == "类别置信度 0.42 低于阈值 0.60")
        #expect(low.message.text(.en) == "Category confidence 0.42 is below the threshold 0.60")
        #expect(low.description == "category confidence 0.42 is below the threshold 0.60")
        #expect(Reason.noPlace.message.text(.zh) == "地址和文本中未识别出地点，由受理中心定位")
        #expect(Reason.noCategory.message.text(.en) == "No fine category recognised in the text")
        var record = Self.record(reason: low)
        #expect(TriageReasonText.display(record, .zh) == "类别置信度 0.42 低于阈值 0.60")
        record.reason = "split off case #3 by a: b"
        #expect(record.reasonMessage == nil)
        #expect(TriageReasonText.display(record, .zh) == "split off case #3 by a: b")
        // Reports queued before records kept the message: their English sentence is worded all the same.
        record.reason = low.description
        #expect(TriageReasonText.display(record, .zh) == "类别置信度 0.42 低于阈值 0.60")
        record.reason = Reason.noPlace.description
        #expect(
            TriageReasonText.display(record, .en)
                == "No place recognised in the address or text; the receiving centre locates it")
        record.reason = "category confidence high is below the threshold 0.60"
        #expect(TriageReasonText.display(record, .zh) == "category confidence high is below the threshold 0.60")
    }

    /// The duplicate detector's typed reasons become catalogue messages when a merge is recorded; the English line
    /// records keep is unchanged.
    @Test func mergeReasonsAreWorded() throws {
        let reference = try CityReference.shanghaiDefault()
        let reasons: [MergeReason] = [
            .sameCategory("road.ponding"), .distance(metres: 120, limit: 300), .sameRegion("310115"),
            .hours(2.5, limit: 72), .similarity(0.81, limit: 0.6),
        ]
        #expect(
            reasons.map { $0.message.text(.zh, reference: reference) } == [
                "同一类别（道路积水）", "相距 120 米（≤ 300 米）", "同一区域（浦东新区）", "距案件立案 2.5 小时（≤ 72 小时）", "文本相似度 0.81（≥ 0.60）",
            ])
        #expect(
            reasons.map(\.description) == [
                "same category road.ponding", "120 m apart (≤ 300 m)", "same region 310115",
                "2.5 h from the case opening (≤ 72 h)", "text similarity 0.81 (≥ 0.60)",
            ])
        #expect(
            reasons.map { $0.message.text(.en, reference: reference) } == [
                "same category (Road ponding)", "120 m apart (≤ 300 m)", "same region (Pudong New Area)",
                "2.5 h from the case opening (≤ 72 h)", "text similarity 0.81 (≥ 0.60)",
            ])
    }

    /// A case page in each language after intake, an automatic escalation and a refused action: system notes,
    /// the dispatch reason and the refusal's flash are in the page's language; so are the 404 pages.
    @Test func pagesShowNoSentenceOfTheOtherLanguage() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2397, long: 121.4998, address: "世纪大道100号")
            let record = try #require(try await Case.find(id, on: app.db))
            try await CaseActions.perform(
                CaseCommand(
                    action: .escalate, note: "超时自动升级 overdue: automatic escalation",
                    systemNote: Message("note.escalated_overdue")),
                on: record, by: .system, reference: app.reference, on: app.db, gate: app.writeGate,
                now: app.clock.now())
            let stored = try #require(
                try await CaseEvent.query(on: app.db).filter(\.$caseID == id).filter(\.$action == .workflow(.escalate))
                    .first())
            #expect(stored.note?.hasPrefix("超时自动升级 overdue: automatic escalation; 督办单位 ") == true)  // as before
            #expect(
                MessageNote.parts(stored.noteParts)?.map(\.code) == ["note.escalated_overdue", "note.supervising_unit"])
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            let ownWords = ["测试工单", "世纪大道100号", "不属本街道"]
            for language in ["zh", "en"] {
                let withLanguage = cookie + "; \(ConsoleSession.languageCookie)=\(language)"
                var flash = ""
                try await app.testing().test(
                    .POST, "/console/cases/\(id)/actions",
                    beforeRequest: { req in
                        req.headers.replaceOrAdd(name: .cookie, value: withLanguage)
                        try req.content.encode(
                            ["action": "return", "note": "不属本街道", "_csrf": ConsoleTests.csrf(forCookie: cookie)],
                            as: .urlEncodedForm)
                    },
                    afterResponse: { res in
                        flash = res.headers.setCookie?[ConsoleSession.flashCookie]?.string ?? ""
                    })
                let pages = [
                    "/console/cases/\(id)", "/console/cases/99999", "/console/nowhere", "/console/cases?state=nothing",
                    "/console/triage",
                ]
                for path in pages {
                    try await app.testing().test(
                        .GET, path,
                        headers: ["Cookie": withLanguage + "; \(ConsoleSession.flashCookie)=\(flash)"]
                    ) { res in
                        let text = LanguageCheck.visibleText(res.body.string, without: ownWords)
                        if language == "zh" {
                            #expect(LanguageCheck.englishSentences(in: text).isEmpty, "\(path) zh: \(text)")
                        } else {
                            #expect(LanguageCheck.han(in: text).isEmpty, "\(path) en: \(text)")
                        }
                        if path == "/console/cases/\(id)" {
                            let expected =
                                language == "zh"
                                ? ["超时自动升级", "督办单位：", "您的角色（区城运中心操作员）不能执行“退回”", "来件 #1，来源：接口"]
                                : [
                                    "Escalated automatically: overdue", "Supervised by ",
                                    "Your role (district operations centre operator) may not perform “Return”",
                                    "Report #1 via API",
                                ]
                            for phrase in expected { #expect(text.contains(phrase), "\(language): \(phrase)") }
                        }
                    }
                }
            }
        }
    }
}

/// What the language test looks for in a page's visible text.
enum LanguageCheck {
    /// The page's visible text: tags, scripts, styles and the language switch (a link in the other language by
    /// design) removed, elements marked `data-own-words` (an operator's note) removed, and `ownWords` (texts a
    /// citizen or operator typed) cut out.
    static func visibleText(_ html: String, without ownWords: [String]) -> String {
        var text = html
        let removed = [
            #"<script\b.*?</script>"#, #"<style\b.*?</style>"#, #"<a class="lang"[^>]*>.*?</a>"#,
            #"<(div|span|p|td|dd)\b[^>]*data-own-words[^>]*>.*?</\1>"#,
        ]
        for pattern in removed {
            text = text.replacingOccurrences(of: pattern, with: " ", options: [.regularExpression])
        }
        text = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        for words in ownWords { text = text.replacingOccurrences(of: words, with: " ") }
        return text.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
    }

    /// Runs of three or more Latin words (an English sentence or phrase), e.g. `not signed in`.
    static func englishSentences(in text: String) -> [String] {
        text.matches(of: /[A-Za-z]{2,}(?:[ ,;:'’\-]+[A-Za-z]{2,}){2,}/).map { String($0.0) }
    }

    /// The Han characters of `text`.
    static func han(in text: String) -> [String] {
        // Han characters, and the full-width punctuation of Chinese text (CJK symbols, full-width forms).
        text.matches(of: /[\u{3000}-\u{303F}\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{FF01}-\u{FF60}]+/).map { String($0.0) }
    }
}
