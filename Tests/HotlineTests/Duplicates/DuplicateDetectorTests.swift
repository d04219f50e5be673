import CityDomain
import Foundation
import Hotline
import Testing

struct DuplicateDetectorTests {
    static let opened = Date(timeIntervalSince1970: 1_730_000_000)
    static let site = try! GeoPoint(latitude: 31.1772, longitude: 121.5203)  // 北蔡镇, near 莲溪路
    static let nearby = try! GeoPoint(latitude: 31.1785, longitude: 121.5210)  // ≈ 160 m north
    static let far = try! GeoPoint(latitude: 31.1850, longitude: 121.5203)  // ≈ 870 m north

    static func openCase(_ id: Int = 7, point: GeoPoint? = site, hoursAgo: Double = 2) -> DuplicateCandidate {
        DuplicateCandidate(
            caseID: id, categoryCode: "noise.construction", regionCode: "310115105", point: point,
            openedAt: opened, text: "莲溪路500弄旁边工地夜间施工，打桩声音很大，吵得睡不着")
    }

    static func report(
        category: String = "noise.construction", region: String = "310115105", point: GeoPoint? = nearby,
        hours: Double = 3, text: String = "莲溪路工地晚上11点还在打桩施工，噪音太大了"
    ) -> DuplicateReport {
        DuplicateReport(
            categoryCode: category, regionCode: region, point: point, receivedAt: opened + hours * 3600, text: text)
    }

    let detector = DuplicateDetector()

    @Test func sameIncidentAttaches() throws {
        let match = try #require(detector.bestMatch(for: Self.report(), among: [Self.openCase()]))
        #expect(match.caseID == 7)
        #expect(match.score > 0.3 && match.score <= 1)
        #expect(match.reasons.count == 4)
        #expect(match.reasons[0] == "same category noise.construction")
        #expect(match.reasons[1].hasSuffix("m apart (≤ 250 m)"))
    }

    @Test func eachGateRefuses() {
        let candidates = [Self.openCase()]
        #expect(detector.bestMatch(for: Self.report(category: "noise.renovation"), among: candidates) == nil)
        #expect(detector.bestMatch(for: Self.report(point: Self.far), among: candidates) == nil)
        #expect(detector.bestMatch(for: Self.report(hours: 25), among: candidates) == nil)
        #expect(detector.bestMatch(for: Self.report(text: "请问公积金什么时候到账"), among: candidates) == nil)
    }

    @Test func withoutPointsTheRegionDecides() {
        let noPoint = Self.openCase(point: nil)
        #expect(detector.bestMatch(for: Self.report(point: nil), among: [noPoint])?.caseID == 7)
        #expect(detector.bestMatch(for: Self.report(region: "310115016", point: nil), among: [noPoint]) == nil)
        // One point missing: the region decides too.
        #expect(detector.bestMatch(for: Self.report(point: Self.far), among: [noPoint])?.caseID == 7)
    }

    @Test func theClosestStrongestCaseWins() {
        let other = DuplicateCandidate(
            caseID: 9, categoryCode: "noise.construction", regionCode: "310115105", point: Self.site,
            openedAt: Self.opened, text: "北蔡镇某工地白天施工扬尘")
        let match = detector.bestMatch(for: Self.report(), among: [other, Self.openCase()])
        #expect(match?.caseID == 7)
    }

    @Test func tupleFormGivesTheSameAnswer() {
        let r = Self.report()
        let tuple = (
            categoryCode: r.categoryCode, regionCode: r.regionCode, point: r.point, receivedAt: r.receivedAt,
            text: r.text
        )
        #expect(
            detector.bestMatch(for: tuple, among: [Self.openCase()])
                == detector.bestMatch(for: r, among: [Self.openCase()]))
    }

    @Test func similarityIsFoldedAndBounded() {
        let measure = DuplicateTextSimilarity()
        #expect(measure.similarity("楼上装修，太吵！", "楼上装修太吵") == 1)
        #expect(abs(measure.similarity("ＫＴＶ噪音", "ktv噪音") - 1) < 1e-9)
        #expect(measure.similarity("", "楼上装修") == 0)
        #expect(measure.similarity("楼", "楼") == 0)
        let s = measure.similarity("莲溪路工地夜间施工", "莲溪路工地晚上打桩")
        #expect(s > 0.2 && s < 1)
    }

    @Test func defaultsAreTheDocumentedOnes() {
        #expect(detector.window == 86_400 && detector.radius == 250 && detector.similarity == 0.12)
        #expect(DuplicateDetector.textOnlySimilarity == 0.30)
    }
}
