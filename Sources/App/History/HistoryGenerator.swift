import CityDomain
import Foundation

/// Makes realistic case histories in memory, one case at a time, for ``HistorySeed``: spread evenly over a time
/// span, over Shanghai's streets (unevenly, as real demand is), over the dispatchable categories (a long-tailed mix)
/// and over the three public channels, each case taken through the product's own rules.
///
/// A case is prepared by ``CaseIntake/prepare(_:located:category:reference:now:)`` (category, dispatch down the
/// chain of centres, time limits; the same audit events intake writes), then moved by ``CaseRules/apply(_:to:actor:role:actorUnitCode:category:reference:now:)``
/// step by step (签收 start, 处置 resolve, 核查 verify, 结案 close; some with a rework or a suspension), each step
/// after a random share of its step limit (about one in eight late). A step that would fall after `end` is not
/// taken, so young cases are still open; a few cases (0.4 %) stall and stay open for ever, the overdue backlog.
/// Every row is what the product would have written: the case's state is its last event's `to_state`, the audit
/// trail chains from `accepted`, and each region and unit code comes from the reference data.
struct HistoryGenerator {
    /// One generated case with its report and audit trail (event ids left to the database).
    struct Row {
        let record: Case
        let report: Report
        let events: [CaseEvent]
    }

    let reference: CityReference
    let start: Date
    let end: Date
    let total: Int
    private var random: SplitMix64
    private let categories: [Category]
    private let categoryWeights: [Double]
    private let streets: [String]
    private let streetWeights: [Double]
    /// Points inside each district's polygon, for the case's location.
    private let points: [String: [GeoPoint]]

    /// - Parameters: `total`, how many cases the span is shared among; `seed`, the random seed (the same seed
    ///   and reference data give the same history).
    init(reference: CityReference, start: Date, end: Date, total: Int, seed: UInt64) {
        self.reference = reference
        self.start = start
        self.end = end
        self.total = max(1, total)
        var random = SplitMix64(seed: seed)
        let services = reference.taxonomy.all.filter(reference.isService).sorted { $0.code < $1.code }
        categories = services.shuffled(using: &random)
        // A long tail: the commonest category is asked for about a hundred times as often as the rarest.
        categoryWeights = Self.cumulative(categories.indices.map { 1 / pow(Double($0) + 1, 0.9) })
        streets = reference.hierarchy.all.filter { $0.level == .street }.map(\.code).sorted()
        streetWeights = Self.cumulative(streets.map { _ in 0.3 + random.unit() })
        var points: [String: [GeoPoint]] = [:]
        for district in reference.hierarchy.all where district.level == .district {
            points[district.code] = Self.pointsInside(district.code, reference: reference, random: &random)
        }
        self.points = points
        self.random = random
    }

    /// The case at position `index` (0…total−1) of the span, with case id `caseID` and report id `reportID`.
    /// - Throws: ``IntakeError`` or ``CaseRuleError`` if the reference data refuse what intake would accept (a bug).
    mutating func make(index: Int, caseID: Int, reportID: Int) throws -> Row {
        let span = end.timeIntervalSince(start)
        let created = start.addingTimeInterval(span * (Double(index) + random.unit()) / Double(total))
        let category = categories[pick(categoryWeights)]
        let street = streets[pick(streetWeights)]
        let district = reference.hierarchy.ancestor(of: street, at: .district)?.code ?? street
        let streetName = reference.hierarchy[street]?.nameZh ?? street
        let channel = random.unit()
        let source: ReportSource = channel < 0.55 ? .hotline : channel < 0.8 ? .open311 : .api
        let actor = source == .hotline ? "12345:seed" : source == .open311 ? "open311:seed" : "seed.operator"
        let nearby = points[district] ?? []
        let drawn = nearby.isEmpty ? nil : nearby[Int(random.next() % UInt64(nearby.count))]
        // A 12345 call carries no GPS point (it is located by the places it names): no invented point for it.
        let point = source == .hotline ? nil : drawn
        let intake = IntakeReport(
            source: source, categoryCode: category.code,
            description: "\(streetName)\(["路口", "小区门口", "菜场旁", "学校附近", "地铁站出口"][index % 5])\(category.nameZh)，请尽快处理",
            address: "上海市\(streetName)\(["人民路", "中山路", "建设路", "解放路", "和平路"][(index / 5) % 5])\(index % 997 + 1)号",
            point: point, chosenRegionCode: street,
            reporterPhone: source == .hotline ? "1380000\(String(format: "%04d", index % 10000))" : nil, actor: actor)
        let prepared = try CaseIntake.prepare(
            intake, located: LocatedRegion(regionCode: street, method: .reporterChoice), reference: reference,
            now: created)
        let record = prepared.record
        record.id = caseID
        var events = prepared.events(
            caseID: caseID, acceptNote: CaseIntake.acceptNote(reportID: reportID, source: source),
            accept: CaseIntake.acceptParts(reportID: reportID, source: source))
        var at = created
        var changes = 0
        for (action, note) in plan() {
            let before = record.caseRecord
            let limit = before.stepDueAt.map { $0.timeIntervalSince(before.stepStartedAt) } ?? 8 * 3600
            let wait =
                action == .resume ? 86_400 * (1 + 9 * random.unit()) : max(120, limit * 1.3 * pow(random.unit(), 1.6))
            let next = at.addingTimeInterval(wait)
            if next > end { break }
            at = next
            let worker = action == .start || action == .resolve
            let name =
                worker ? "seed.worker" : [.suspend, .resume].contains(action) ? "seed.operator" : "seed.verifier"
            let unit = worker ? before.unitCode : reference.operationsCentre(for: before.regionCode)?.code
            let outcome = try CaseRules.apply(
                CaseRequest(action, note: note), to: before, actor: name, role: nil, actorUnitCode: unit,
                category: category, reference: reference.caseRules, now: at)
            record.caseRecord = outcome.record
            changes += 1
            events.append(
                CaseEvent(
                    caseID: caseID, at: at, action: .workflow(action), from: outcome.fromState, to: outcome.toState,
                    actor: name, actorUnitCode: unit, unitCode: outcome.unitCode, note: outcome.note,
                    parts: MessageNote.parts(outcome.noteParts)))
        }
        record.version = changes
        record.updatedAt = at
        Timestamps.normaliseDates(of: record)  // as stored, so that its counters match a recount
        let report = CaseIntake.makeReport(intake, regionCode: street, now: created)
        report.id = reportID
        report.caseID = caseID
        if source == .hotline {
            report.channel = .phone
            report.triageState = .done
            report.takenBy = actor
        }
        return Row(record: record, report: report, events: events)
    }

    /// The steps a case will take if time allows: the usual four, sometimes with a failed verification and
    /// rework or a suspension; a stalled case stops early.
    private mutating func plan() -> [(CaseAction, String?)] {
        let resolve: (CaseAction, String?) = (.resolve, "已处置，现场照片已存档")
        var steps: [(CaseAction, String?)]
        let shape = random.unit()
        if shape < 0.06 {
            steps = [
                (.start, nil), resolve, (.failVerification, "核查未通过：现场仍有问题"), resolve, (.verify, nil),
                (.close, nil),
            ]
        } else if shape < 0.08 {
            steps = [(.start, nil), (.suspend, "待补正材料"), (.resume, nil), resolve, (.verify, nil), (.close, nil)]
        } else {
            steps = [(.start, nil), resolve, (.verify, nil), (.close, nil)]
        }
        if random.unit() < 0.004 { steps = Array(steps.prefix(Int(random.next() % 3))) }
        return steps
    }

    /// An index drawn from cumulative weights.
    private mutating func pick(_ cumulative: [Double]) -> Int {
        let target = random.unit() * (cumulative.last ?? 0)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func cumulative(_ weights: [Double]) -> [Double] {
        var sum = 0.0
        return weights.map { weight in
            sum += weight
            return sum
        }
    }

    /// Up to 32 random points inside `district`'s polygon (none when the reference has no polygon for it).
    private static func pointsInside(_ district: String, reference: CityReference, random: inout SplitMix64)
        -> [GeoPoint]
    {
        let rings = reference.boundaries.outline(of: district)
        let latitudes = rings.flatMap(\.latitudes)
        let longitudes = rings.flatMap(\.longitudes)
        guard let south = latitudes.min(), let north = latitudes.max(), let west = longitudes.min(),
            let east = longitudes.max()
        else { return [] }
        var found: [GeoPoint] = []
        for _ in 0..<400 where found.count < 32 {
            let latitude = south + (north - south) * random.unit()
            let longitude = west + (east - west) * random.unit()
            guard let point = try? GeoPoint(latitude: latitude, longitude: longitude),
                reference.boundaries.regions(containing: point).contains(district)
            else { continue }
            found.append(point)
        }
        return found
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64), so a seeded history is reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
