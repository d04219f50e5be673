import Foundation
import Testing

@testable import CityDomain

@Suite("Identity numbers (GB 11643-1999)")
struct IdentityNumberTests {
    @Test func acceptsTheStandardsExampleAndLowerCaseX() throws {
        // GB 11643-1999's own example: 11010519491231002X.
        let number = try IdentityNumber("11010519491231002x")
        #expect(number.value == "11010519491231002X")
        #expect(number.birthDate == CalendarDay("1949-12-31"))
        #expect(number.masked == "110***********002X")
        #expect("\(number)" == "110***********002X")
    }

    @Test func computesTheCheckCharacter() {
        #expect(IdentityNumber.checkCharacter(for: "11010519491231002") == "X")
        #expect(IdentityNumber.checkCharacter(for: "44052418800101001") == "4")
    }

    @Test func refusesAWrongCheckCharacter() {
        #expect(throws: IdentityNumber.Problem.checkCharacter(expected: "X")) {
            try IdentityNumber("110105194912310021")
        }
    }

    @Test(arguments: [
        ("1101051949123100", IdentityNumber.Problem.length(16)),
        ("11010519491231002Y", .characters),
        ("1101051949X231002X", .characters),
        ("110105194902300027", .birthDate("19490230")),
        ("110105180001010027", .birthDate("18000101")),
    ])
    func refusesMalformedNumbers(text: String, problem: IdentityNumber.Problem) {
        #expect(throws: problem) { try IdentityNumber(text) }
    }

    @Test func refusesABirthDateAfterToday() throws {
        let future = "3101152030010100" + "1"
        let full = future + String(IdentityNumber.checkCharacter(for: future))
        #expect(throws: IdentityNumber.Problem.birthDate("20300101")) {
            try IdentityNumber(full, today: CalendarDay("2026-12-06"))
        }
    }
}

@Suite("Application workflow and clocks")
struct ApplicationWorkflowTests {
    @Test func theHappyPathAndACompletion() throws {
        var state = ApplicationState.submitted
        state = try ApplicationWorkflow.next(after: .accept, in: state, wasAccepted: false, reason: nil)
        state = try ApplicationWorkflow.next(
            after: .requestCompletion, in: state, wasAccepted: true, reason: "出生医学证明不清晰")
        #expect(state == .returnedForCompletion)
        #expect(!state.clockRuns)
        state = try ApplicationWorkflow.next(after: .complete, in: state, wasAccepted: true, reason: nil)
        #expect(state == .accepted)
        for action in [ApplicationAction.review, .approve, .issue, .finish] {
            state = try ApplicationWorkflow.next(after: action, in: state, wasAccepted: true, reason: nil)
        }
        #expect(state == .done)
    }

    @Test func refusesIllegalStepsAndMissingReasons() {
        #expect(throws: ApplicationRuleError.illegal(action: .approve, state: .submitted)) {
            try ApplicationWorkflow.next(after: .approve, in: .submitted, wasAccepted: false, reason: nil)
        }
        #expect(throws: ApplicationRuleError.reasonRequired(.refuse)) {
            try ApplicationWorkflow.next(after: .refuse, in: .underReview, wasAccepted: true, reason: "  ")
        }
        #expect(throws: ApplicationRuleError.illegal(action: .finish, state: .done)) {
            try ApplicationWorkflow.next(after: .finish, in: .done, wasAccepted: true, reason: nil)
        }
    }

    @Test func promisedLimitCountsWorkingDaysAndSkipsTheCompletionWait() throws {
        let deadlines = DeadlineCalculator(calendar: try WorkCalendar.china())
        let accepted = ShanghaiTime.calendar.date(
            from: DateComponents(year: 2024, month: 9, day: 27, hour: 10))!
        // DESIGN.md §4's example: Fri 27 Sep + 3 working days → Sun 29 (调休), Mon 30, Tue 8 Oct → 9 Oct 00:00.
        let clock = ApplicationClock(acceptedAt: accepted, stops: [])
        #expect(try clock.due(days: 3, deadlines: deadlines) == CalendarDay("2024-10-09")!.startDate)
        // A 补正 wait of the whole of Sun 29 and Mon 30 Sep moves the due date two working days on.
        let stop = DateInterval(start: CalendarDay("2024-09-29")!.startDate, end: CalendarDay("2024-10-01")!.startDate)
        let stopped = ApplicationClock(acceptedAt: accepted, stops: [stop])
        #expect(try stopped.due(days: 3, deadlines: deadlines) == CalendarDay("2024-10-11")!.startDate)
        // 即办件: 24:00 of the day of acceptance.
        #expect(try clock.due(days: 0, deadlines: deadlines) == CalendarDay("2024-09-28")!.startDate)
        #expect(try ApplicationClock(acceptedAt: nil, stops: []).due(days: 3, deadlines: deadlines) == nil)
    }
}

@Suite("Ratings, uploads and the catalogue")
struct GovServiceRulesTests {
    @Test func fiveLevelsTheBottomTwoBad() {
        #expect(RatingLevel.allCases.map(\.nameZh) == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"])
        #expect(RatingLevel.allCases.filter(\.isBad) == [.dissatisfied, .veryDissatisfied])
    }

    @Test func ratingOnceAfterCompletion() {
        #expect(throws: RatingError.notDone(.approved)) {
            try RatingRules.check(state: .approved, alreadyRated: false, comment: nil)
        }
        #expect(throws: RatingError.alreadyRated) {
            try RatingRules.check(state: .done, alreadyRated: true, comment: nil)
        }
        #expect(throws: Never.self) { try RatingRules.check(state: .done, alreadyRated: false, comment: "好") }
    }

    @Test func uploadsAreTypedByContent() throws {
        let pdf = Array("%PDF-1.4\n1 0 obj\n%%EOF\n".utf8)
        #expect(try UploadContent.detect(pdf, name: "a") == .pdf)
        #expect(try UploadContent.detect([0xFF, 0xD8, 0xFF, 0xE0, 0, 0xFF, 0xD9], name: "b") == .jpeg)
        // An executable named .pdf is refused.
        #expect(throws: UploadContent.Problem.notAcceptedType("c.pdf")) {
            try UploadContent.detect(Array("MZ\u{90}\0 not a pdf".utf8), name: "c.pdf")
        }
        #expect(throws: UploadContent.Problem.tooLarge("d", bytes: UploadContent.maxBytes + 1)) {
            try UploadContent.detect(
                pdf + [UInt8](repeating: 0, count: UploadContent.maxBytes + 1 - pdf.count), name: "d")
        }
        #expect(throws: UploadContent.Problem.empty("e")) { try UploadContent.detect([], name: "e") }
    }

    @Test func bundledCatalogueHoldsTheNewbornBundle() throws {
        let catalogue = try ServiceCatalogue.bundled()
        #expect(catalogue.items.count >= 20)
        let newborn = catalogue.search(lifeEvent: "newborn").map(\.nameZh)
        for name in ["出生医学证明首次签发", "预防接种证办理", "新生儿出生户口登记", "社会保障卡申领", "城乡居民基本医疗保险参保登记", "生育医疗费用报销"] {
            #expect(newborn.contains(name), "\(name)")
        }
        #expect(catalogue.items.allSatisfy { !$0.source.isEmpty && $0.promisedDays <= $0.legalDays })
        #expect(catalogue.search(query: "落户").map(\.code) == ["SH-GA-0001"])
        #expect(catalogue.search(department: .medicalInsurance, query: "新生儿").count == 2)
        #expect(catalogue.search(query: "SOCIAL security CARD").map(\.code) == ["SH-RS-0001"])
    }

    @Test func refusesAPromiseBeyondTheLegalLimit() {
        let json = """
            {"life_events": [], "items": [{"code": "X", "name_zh": "x", "name_en": "x", "department": "health",
            "level": "city", "kind": "promised", "legal_days": 5, "promised_days": 6, "materials": [], "online": true,
            "visits": 0, "fee_yuan": 0, "steps": ["受理"], "life_events": [], "keywords": [], "source": "s"}]}
            """
        #expect(throws: ServiceCatalogue.Problem(description: "item X: promised limit exceeds the legal one")) {
            try ServiceCatalogue(json: Data(json.utf8))
        }
    }
}
