import Foundation
import Testing

@testable import CityDomain

/// The pure rules of joint incidents (issue 15): levels, areas, plan checks and templates, nearest-first
/// assignment, assignment steps, measured times and the minute replay.
@Suite("Joint incident rules")
struct JointIncidentRulesTests {
    let shanghai: RegionHierarchy
    init() throws { shanghai = try RegionHierarchy.shanghai() }

    @Test func levelsHaveStableCodesInSeverityOrder() {
        #expect(IncidentLevel.allCases.map(\.rawValue) == ["IV", "III", "II", "I"])
        #expect(IncidentLevel.allCases.map(\.nameZh) == ["一般", "较大", "重大", "特别重大"])
        #expect(IncidentLevel.general < .larger && .major < .extraordinary)
    }

    @Test func anAreaHoldsItsRegionsSubtreesAndItsCircle() throws {
        let terminal = try GeoPoint(latitude: 31.352, longitude: 121.600)
        let area = IncidentArea(regionCodes: ["310115104"], center: terminal, radiusMeters: 3000)
        #expect(area.problem(in: shanghai) == nil)
        #expect(area.contains(regionCode: "310115104", point: nil, in: shanghai))
        #expect(!area.contains(regionCode: "310115105", point: nil, in: shanghai))
        let near = try GeoPoint(latitude: 31.370, longitude: 121.600)  // ≈ 2.0 km north
        let far = try GeoPoint(latitude: 31.400, longitude: 121.600)  // ≈ 5.3 km north
        #expect(area.contains(regionCode: "310115105", point: near, in: shanghai))
        #expect(!area.contains(regionCode: "310115105", point: far, in: shanghai))
        #expect(
            IncidentArea(regionCodes: [], center: terminal, radiusMeters: nil).problem(in: shanghai)?.field
                == "area.radius_m")
        #expect(IncidentArea(regionCodes: []).problem(in: shanghai)?.code == "empty_area")
        #expect(
            IncidentArea(regionCodes: ["310115"], center: terminal, radiusMeters: 60_000).problem(in: shanghai)?.code
                == "out_of_range")
    }

    @Test func planProblemsNameEachField() {
        let plan = ResponsePlan(
            code: "Bad Code", nameZh: "预案", nameEn: "Plan", incidentType: .roadPonding, levels: [],
            units: [
                PlanUnit(
                    unit: "{street}.water",
                    tasks: [PlanTask(code: "pump", titleZh: "抽水", titleEn: "Pump", deadlineMinutes: 20_000)],
                    resources: [.init(kind: .pumpTruck, count: 501)]),
                PlanUnit(
                    unit: "{town}.water", tasks: [PlanTask(code: "x", titleZh: " ", titleEn: "x", deadlineMinutes: 5)]),
            ])
        let problems = plan.problems { _ in true }
        #expect(
            problems.map(\.field) == [
                "code", "levels", "units[0].unit", "units[0].tasks[0].deadline_minutes", "units[0].resources[0].count",
                "units[1].unit", "units[1].tasks[0].title_zh",
            ])
        #expect(problems[2].message == "streets have no 'water' unit")
    }

    @Test func templatesNameTheAreasDistrictAndStreets() throws {
        let district = try #require(PlanUnitTemplate("{district}.transport"))
        #expect(district.unitCodes(regionCodes: ["310115104", "310115105"], in: shanghai) == ["310115.transport"])
        let street = try #require(PlanUnitTemplate("{street}.operations_centre"))
        #expect(
            street.unitCodes(regionCodes: ["310115104", "310115105"], in: shanghai) == [
                "310115104.operations_centre", "310115105.operations_centre",
            ])
        #expect(street.unitCodes(regionCodes: ["310115"], in: shanghai).isEmpty, "a district has no street")
        #expect(PlanUnitTemplate("310115.transport") == nil)
    }

    @Test func theNearestComeFirstAndTiesGoById() throws {
        let target = try GeoPoint(latitude: 31.352, longitude: 121.600)
        let candidates = [
            NearestFirst.Candidate(id: "far", position: try GeoPoint(latitude: 31.200, longitude: 121.600)),
            NearestFirst.Candidate(id: "b-near", position: try GeoPoint(latitude: 31.360, longitude: 121.600)),
            NearestFirst.Candidate(id: "a-near", position: try GeoPoint(latitude: 31.360, longitude: 121.600)),
            NearestFirst.Candidate(id: "mid", position: try GeoPoint(latitude: 31.300, longitude: 121.600)),
        ]
        let picked = NearestFirst.pick(3, of: candidates, to: target)
        #expect(picked.map(\.id) == ["a-near", "b-near", "mid"])
        // 0.008° of latitude is ≈ 890 m on the mean sphere.
        #expect(abs(picked[0].meters - 889.6) < 1)
        #expect(NearestFirst.pick(10, of: candidates, to: target).count == 4)
    }

    @Test func assignmentsStepForwardOnly() {
        #expect(AssignmentState.requested.after(.dispatched) == .dispatched)
        #expect(AssignmentState.requested.after(.arrived) == nil)
        #expect(AssignmentState.arrived.after(.dispatched) == nil)
        #expect(AssignmentState.dispatched.after(.released) == .released)
        #expect(AssignmentState.released.after(.released) == nil)
    }

    @Test func metricsAreSecondsFromTheDeclaration() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }
        let tasks: [IncidentMetrics.Task] = [
            .init(unitCode: "a", acceptedAt: at(5), doneAt: at(30)),
            .init(unitCode: "a", acceptedAt: at(7), doneAt: nil),
            .init(unitCode: "b", acceptedAt: nil, doneAt: nil),
        ]
        let open = IncidentMetrics.measure(declaredAt: t0, closedAt: nil, tasks: tasks)
        #expect(open.firstResponseSeconds == 300 && open.allAcceptedSeconds == nil && open.resolutionSeconds == nil)
        #expect(open.units.first { $0.unitCode == "a" }?.allAcceptedSeconds == 420)
        #expect(open.units.first { $0.unitCode == "a" }?.allDoneSeconds == nil)
        #expect(open.units.first { $0.unitCode == "b" }?.firstResponseSeconds == nil)
        let closed = IncidentMetrics.measure(
            declaredAt: t0, closedAt: at(110),
            tasks: tasks.map { .init(unitCode: $0.unitCode, acceptedAt: $0.acceptedAt ?? at(9), doneAt: at(100)) })
        #expect(closed.allAcceptedSeconds == 540 && closed.resolutionSeconds == 6600)
    }

    @Test func theReplayBucketsEventsPerMinuteWithEmptyMinutes() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let times = [t0, t0.addingTimeInterval(59), t0.addingTimeInterval(60), t0.addingTimeInterval(185)]
        #expect(IncidentReplay.buckets(times, declaredAt: t0) == [[0, 1], [2], [], [3]])
        #expect(IncidentReplay.minute(of: t0.addingTimeInterval(-30), declaredAt: t0) == 0)
        #expect(IncidentReplay.buckets([], declaredAt: t0).isEmpty)
    }

    @Test func aGaleIsForce8From17Point2MetresASecond() {
        let rule = DefaultAlarmRules.gale
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let below = AlarmEvaluator.run(rule: rule, state: .init(), readings: [(t0, 17.1)])
        #expect(below.transitions.isEmpty)
        let gale = AlarmEvaluator.run(rule: rule, state: .init(), readings: [(t0, 17.2)])
        #expect(gale.transitions == [.raise(at: t0, value: 17.2)])
        #expect(rule.sensorKind == .weather && rule.attribute == "windSpeed" && rule.categoryCode == nil)
    }
}
