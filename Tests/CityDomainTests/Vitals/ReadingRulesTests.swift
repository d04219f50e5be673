import Foundation
import Testing

@testable import CityDomain

@Suite struct ReadingRulesTests {
    @Test(arguments: ["NaN", "nan", "-nan", "inf", "-inf", "+Infinity", "INFINITY", "1e999", "-1e400"])
    func nonFiniteSpellingsAreRefused(_ text: String) {
        #expect(throws: ReadingProblem.notFinite(text)) { try ReadingRules.value(fromText: text) }
    }

    @Test(arguments: ["", "abc", "0x1p3", "1,5", "12 °C", "--1", "1e", "."])
    func nonNumericTextIsRefused(_ text: String) {
        #expect(throws: ReadingProblem.notNumeric(text)) { try ReadingRules.value(fromText: text) }
    }

    @Test func decimalTextIsAccepted() throws {
        #expect(try ReadingRules.value(fromText: "-1.5") == -1.5)
        #expect(try ReadingRules.value(fromText: "2e1") == 20)
        #expect(try ReadingRules.value(fromText: ".5") == 0.5)
        #expect(throws: ReadingProblem.notFinite("inf")) { try ReadingRules.value(Double.infinity, text: "inf") }
    }

    @Test func unitsMatchByCodeOrSymbol() throws {
        let pm25 = try #require(VitalAttribute.lookup("pm25", kind: .airQuality))
        try ReadingRules.checkUnit("GQ", attribute: pm25)
        try ReadingRules.checkUnit("µg/m³", attribute: pm25)
        try ReadingRules.checkUnit(nil, attribute: pm25)
        #expect(throws: ReadingProblem.unitMismatch(given: "mg/m3", expected: "GQ")) {
            try ReadingRules.checkUnit("mg/m3", attribute: pm25)
        }
    }

    @Test func observedTimeMayBeAtMostFiveMinutesAhead() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        try ReadingRules.checkObserved(now.addingTimeInterval(300), now: now)
        #expect(throws: ReadingProblem.self) { try ReadingRules.checkObserved(now.addingTimeInterval(301), now: now) }
    }

    @Test func everyKindHasCatalogueAttributesWithKnownUnits() {
        for kind in SensorKind.allCases {
            let attributes = VitalAttribute.catalogue[kind] ?? []
            #expect(!attributes.isEmpty, "\(kind)")
            for attribute in attributes { #expect(VitalAttribute.unitAliases[attribute.unit] != nil, "\(attribute)") }
        }
    }
}
