import Foundation
import Testing

@testable import CityDomain

/// Validation of alarm rules submitted through the rule edit API (CityNet issue 11 §3).
@Suite struct AlarmRuleDraftTests {
    /// The city root `310000` with 普陀区 `310107` (where sensor `deck` stands) and 黄浦区 `310101`.
    static func context(operatorRegion: String = "310000") -> AlarmRuleDraft.Context {
        let regions = ["310000", "310107", "310107005", "310101"]
        return AlarmRuleDraft.Context(
            regionExists: { regions.contains($0) },
            regionInScope: { code in
                regions.contains(code) && (operatorRegion == "310000" || code.hasPrefix(operatorRegion))
            },
            operatorIsCityWide: operatorRegion == "310000",
            sensor: { $0 == "deck" ? (kind: "road_surface", regionCode: "310107005") : nil },
            categoryExists: { $0 == "road.bridge_ice" })
    }

    static func ice(
        raise: (String, Double)? = ("le", 2), clear: (String, Double)? = ("ge", 3), scope: String = "city",
        condition: String = "duration", value: Int = 600, kind: String = "road_surface",
        attribute: String? = "surfaceTemperature", gap: Int = 900
    ) -> AlarmRuleDraft {
        AlarmRuleDraft(
            code: "deck_ice_strict", nameZh: "桥面结冰（严格）", nameEn: "Bridge-deck ice (strict)", sensorKind: kind,
            attribute: attribute, scope: scope, condition: condition, conditionValue: value, raiseOp: raise?.0,
            raiseValue: raise?.1, clearOp: clear?.0, clearValue: clear?.1, severity: "major", gapSeconds: gap,
            gapPolicy: "reset", categoryCode: "road.bridge_ice")
    }

    static func errors(_ draft: AlarmRuleDraft, operatorRegion: String = "310000") -> [AlarmRuleDraft.FieldError] {
        guard case .invalid(let errors) = draft.validate(context: context(operatorRegion: operatorRegion)) else {
            return []
        }
        return errors
    }

    @Test func aValidDraftBecomesTheRuleItDescribes() {
        let result = Self.ice(scope: "region:310107").validate(context: Self.context())
        let expected = AlarmRule(
            code: "deck_ice_strict", nameZh: "桥面结冰（严格）", nameEn: "Bridge-deck ice (strict)", sensorKind: .roadSurface,
            attribute: "surfaceTemperature", scope: .region("310107"), condition: .duration(seconds: 600),
            raise: .init(.le, 2), clear: .init(.ge, 3), severity: .major, gapSeconds: 900, gapPolicy: .reset,
            categoryCode: "road.bridge_ice")
        #expect(result == .valid(expected))
    }

    @Test func aClearConditionThatHoldsWhereTheRaiseHoldsIsRefusedWithTheOverlap() {
        let overlapping = Self.errors(Self.ice(clear: ("ge", 1)))
        #expect(overlapping.map(\.field) == ["clear"] && overlapping.map(\.code) == ["does_not_clear"])
        #expect(overlapping.first?.message.contains("[1.0, 2.0]") == true, "\(overlapping)")
        #expect(Self.errors(Self.ice(clear: ("ge", 2))).map(\.code) == ["does_not_clear"], "2 both raises and clears")
        #expect(Self.errors(Self.ice(clear: ("le", 5))).map(\.code) == ["does_not_clear"], "same direction")
        #expect(Self.errors(Self.ice(clear: ("gt", 2))).isEmpty, "> 2 never holds at ≤ 2")
        #expect(Self.errors(Self.ice(raise: ("lt", 2), clear: ("ge", 2))).isEmpty)
        #expect(Self.errors(Self.ice(clear: nil)).isEmpty, "no clear: the end of the raise clears")
    }

    @Test func unknownKindsAttributesAndNegativeDurationsAreNamedPerField() {
        let kind = Self.errors(Self.ice(kind: "volcano"))
        #expect(kind.map(\.field) == ["sensor_kind"] && kind.first?.message.contains("volcano") == true)
        let attribute = Self.errors(Self.ice(attribute: "pm25"))
        #expect(attribute.map(\.code) == ["unknown_attribute"])
        #expect(attribute.first?.message.contains("surfaceTemperature") == true, "lists the known attributes")
        #expect(Self.errors(Self.ice(attribute: nil)).map(\.code) == ["required"])
        let negative = Self.errors(Self.ice(value: -60, gap: -1))
        #expect(negative.map(\.field) == ["condition_value", "gap_seconds"])
        #expect(negative.map(\.code) == ["negative", "negative"])
        #expect(Self.errors(Self.ice(condition: "repeating", value: 1)).map(\.code) == ["out_of_range"])
        #expect(Self.errors(Self.ice(condition: "sometimes")).map(\.code) == ["unknown_condition"])
        #expect(Self.errors(Self.ice(raise: ("about", 2))).map(\.field) == ["raise.op"])
        #expect(Self.errors(Self.ice(raise: nil, clear: nil)).map(\.field) == ["raise"])
        let stale = Self.errors(Self.ice(condition: "stale", value: 1800))
        #expect(stale.map(\.field) == ["attribute", "raise", "clear"], "a stale rule takes no attribute or comparison")
        #expect(Self.errors(Self.ice(raise: nil, clear: nil, condition: "stale", value: 1800, attribute: nil)).isEmpty)
        // A zero gap under `reset` restarts every run: a rule needing a run could never raise.
        let zeroGap = Self.errors(Self.ice(gap: 0))
        #expect(zeroGap.map(\.field) == ["gap_seconds"] && zeroGap.map(\.code) == ["restarts_every_run"])
        #expect(Self.errors(Self.ice(condition: "repeating", value: 3, gap: 0)).map(\.code) == ["restarts_every_run"])
        #expect(Self.errors(Self.ice(condition: "simple", value: 0, gap: 0)).isEmpty, "a simple rule needs no run")
    }

    @Test func theScopeMustBeKnownAndWithinTheOperatorsRegion() {
        #expect(Self.errors(Self.ice(scope: "region:999999")).map(\.code) == ["unknown_region"])
        #expect(Self.errors(Self.ice(scope: "sensor:nowhere")).map(\.code) == ["unknown_sensor"])
        #expect(Self.errors(Self.ice(scope: "district:310107")).map(\.code) == ["invalid_scope"])
        #expect(Self.errors(Self.ice(scope: "sensor:deck")).isEmpty)
        let putuo = "310107"
        #expect(Self.errors(Self.ice(scope: "city"), operatorRegion: putuo).map(\.code) == ["outside_region"])
        #expect(Self.errors(Self.ice(scope: "region:310101"), operatorRegion: putuo).map(\.code) == ["outside_region"])
        #expect(Self.errors(Self.ice(scope: "region:310107005"), operatorRegion: putuo).isEmpty)
        #expect(Self.errors(Self.ice(scope: "sensor:deck"), operatorRegion: putuo).isEmpty)
        #expect(Self.errors(Self.ice(scope: "sensor:deck"), operatorRegion: "310101").map(\.code) == ["outside_region"])
        let wrongKind = Self.errors(Self.ice(scope: "sensor:deck", kind: "ponding", attribute: "waterDepth"))
        #expect(wrongKind.map(\.code) == ["kind_mismatch"])
    }

    @Test func onlyAChangeOfWhatIsEvaluatedRestartsRuns() {
        let rule = DefaultAlarmRules.bridgeIce
        let renamed = AlarmRule(
            code: rule.code, nameZh: "改名", nameEn: "Renamed", sensorKind: rule.sensorKind, attribute: rule.attribute,
            scope: rule.scope, condition: rule.condition, raise: rule.raise, clear: rule.clear, severity: .critical,
            gapSeconds: rule.gapSeconds, gapPolicy: rule.gapPolicy, categoryCode: nil, version: 2)
        #expect(!renamed.evaluatesDifferently(from: rule))
        let colder = AlarmRule(
            code: rule.code, nameZh: rule.nameZh, nameEn: rule.nameEn, sensorKind: rule.sensorKind,
            attribute: rule.attribute, scope: rule.scope, condition: rule.condition, raise: .init(.le, 1.8),
            clear: rule.clear, severity: rule.severity, gapSeconds: rule.gapSeconds, gapPolicy: rule.gapPolicy,
            categoryCode: rule.categoryCode)
        #expect(colder.evaluatesDifferently(from: rule))
        #expect(rule.at(version: 7).version == 7 && rule.at(version: 7).evaluatesDifferently(from: rule) == false)
    }
}
