import Foundation
import Testing

@testable import App

/// The triage outcome is typed in the code (a case link for `dispatched` and `merged`, merge reasons for
/// `merged`) and written as the same flat JSON as before, in the `reports.triage` column and in the API.
@Suite struct HotlineTriageOutcomeTests {
    /// A merged report's record as earlier versions stored it (synthesized `Codable`: nil fields left out).
    static let storedMerge =
        #"{"outcome":"merged","case_id":7,"unit_code":"310115105.housing","unit_name":"北蔡镇房管办","#
        + #""theme":"城乡建设","theme_confidence":0.75,"themes":[{"label":"城乡建设","score":0.75}],"#
        + #""explanation":[{"label":"装修","score":1.5}],"category_code":"noise.renovation","#
        + #""category_name":"装修噪声","category_confidence":0.875,"#
        + #""category_candidates":[{"label":"noise.renovation","score":0.875}],"evidence":["装修→noise.renovation"],"#
        + #""region_code":"310115105","region_name":"北蔡镇","locate_method":"address_text","region_candidates":[],"#
        + #""places":["北蔡镇"],"merge_reasons":["same category noise.renovation","same region 310115105"]}"#

    /// Whether two JSON texts hold the same object (key order is not kept by `JSONEncoder` on Linux).
    static func sameJSON(_ a: String, _ b: String) throws -> Bool {
        let objects = try [a, b].map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? NSDictionary }
        return objects[0] != nil && objects[0] == objects[1]
    }

    @Test func aStoredRecordReadsTypedAndIsWrittenBackTheSame() throws {
        let record = try #require(HotlineTriageRecord.read(Self.storedMerge))
        let link = HotlineTriageOutcome.CaseLink(caseID: 7, unitCode: "310115105.housing", unitName: "北蔡镇房管办")
        #expect(
            record.outcome == .merged(link, reasons: ["same category noise.renovation", "same region 310115105"]))
        #expect(record.outcome.triageState == .done)
        #expect(try Self.sameJSON(record.stored(), Self.storedMerge))
    }

    @Test func everyOutcomeKeepsItsCodeStateAndCaseFields() throws {
        let base = try #require(HotlineTriageRecord.read(Self.storedMerge))
        let link = HotlineTriageOutcome.CaseLink(caseID: 9, unitCode: "310115.water", unitName: nil)
        let outcomes: [(HotlineTriageOutcome, String, HotlineTriageState)] = [
            (.pending, "pending", .pending), (.queued, "queued", .queued), (.dispatched(link), "dispatched", .done),
            (.merged(link, reasons: []), "merged", .done), (.dismissed, "dismissed", .dismissed),
        ]
        for (outcome, code, state) in outcomes {
            var record = base
            record.outcome = outcome
            let json = try record.stored()
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(object["outcome"] as? String == code)
            #expect(object["case_id"] as? Int == outcome.caseLink?.caseID)
            #expect(object["unit_code"] as? String == outcome.caseLink?.unitCode)
            #expect(object["unit_name"] == nil)  // an unknown unit's name is left out, as before
            #expect((object["merge_reasons"] as? [String]) == outcome.mergeReasons)
            #expect(HotlineTriageRecord.read(json)?.outcome == outcome)
            #expect(outcome.triageState == state)
            let report = Report()
            try report.setTriage(record)
            #expect(report.triageState == state && report.caseID == outcome.caseLink?.caseID)
            #expect(try Self.sameJSON(try #require(report.triage), json))
        }
    }

    @Test func aRecordThatContradictsItselfIsNotRead() {
        for broken in [
            Self.storedMerge.replacingOccurrences(of: #""outcome":"merged""#, with: #""outcome":"lost""#),
            Self.storedMerge.replacingOccurrences(of: #""case_id":7,"#, with: ""),
            Self.storedMerge.replacingOccurrences(of: #""unit_code":"310115105.housing","#, with: ""),
        ] {
            #expect(HotlineTriageRecord.read(broken) == nil)
        }
        // Without a case, the case fields do not matter.
        let queued = Self.storedMerge.replacingOccurrences(of: #""outcome":"merged""#, with: #""outcome":"queued""#)
        #expect(HotlineTriageRecord.read(queued)?.outcome == .queued)
    }
}
