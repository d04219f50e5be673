import Foundation

/// A response plan (预案) as data: for an incident type and the levels it applies to, the units to notify, the
/// tasks each gets (with a deadline in minutes from the plan's start) and the resources each requests.
///
/// A unit is named by its code (`310000.meteorology`) or by a template resolved against the incident's area at
/// start: `{district}.KIND` is the unit of that kind in the district of the area's first region (or of its point's
/// region), `{street}.KIND` the unit of that kind at every street/town of the area's regions. JSON keys are
/// snake_case (`response-plans.json`, the plans API).
public struct ResponsePlan: Codable, Sendable, Equatable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var incidentType: IncidentType
    public var levels: [IncidentLevel]
    public var units: [PlanUnit]

    public init(
        code: String, nameZh: String, nameEn: String, incidentType: IncidentType, levels: [IncidentLevel],
        units: [PlanUnit]
    ) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.incidentType = incidentType
        self.levels = levels
        self.units = units
    }

    enum CodingKeys: String, CodingKey {
        case code, levels, units
        case nameZh = "name_zh", nameEn = "name_en", incidentType = "incident_type"
    }

    /// Whether the plan is for incidents of `type` at `level`.
    public func applies(to type: IncidentType, level: IncidentLevel) -> Bool {
        incidentType == type && levels.contains(level)
    }
}

/// One unit of a plan: who, what to do, what to request.
public struct PlanUnit: Codable, Sendable, Equatable {
    /// A unit code or a `{district}.KIND` / `{street}.KIND` template.
    public var unit: String
    public var tasks: [PlanTask]
    public var resources: [PlanResource]

    public init(unit: String, tasks: [PlanTask], resources: [PlanResource] = []) {
        self.unit = unit
        self.tasks = tasks
        self.resources = resources
    }

    enum CodingKeys: String, CodingKey { case unit, tasks, resources }

    /// Decodes a plan unit; `resources` may be left out (none).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        unit = try container.decode(String.self, forKey: .unit)
        tasks = try container.decode([PlanTask].self, forKey: .tasks)
        resources = try container.decodeIfPresent([PlanResource].self, forKey: .resources) ?? []
    }
}

/// A task a plan creates for its unit.
public struct PlanTask: Codable, Sendable, Equatable {
    /// Stable within the plan, e.g. `dispatch_buses`.
    public var code: String
    public var titleZh: String
    public var titleEn: String
    /// Minutes from the plan's start to the task's deadline (continuous time: emergencies run 24×7).
    public var deadlineMinutes: Int

    public init(code: String, titleZh: String, titleEn: String, deadlineMinutes: Int) {
        self.code = code
        self.titleZh = titleZh
        self.titleEn = titleEn
        self.deadlineMinutes = deadlineMinutes
    }

    enum CodingKeys: String, CodingKey {
        case code
        case titleZh = "title_zh", titleEn = "title_en", deadlineMinutes = "deadline_minutes"
    }
}

/// Resources a plan unit requests: `count` of `kind`, assigned nearest first.
public struct PlanResource: Codable, Sendable, Equatable {
    public var kind: ResourceKind
    public var count: Int

    public init(kind: ResourceKind, count: Int) {
        self.kind = kind
        self.count = count
    }
}

/// The shipped plan file: `{"version": 1, "plans": [...]}`.
public struct ResponsePlanFile: Codable, Sendable {
    public var version: Int
    public var plans: [ResponsePlan]
}

extension ResponsePlan {
    /// The longest deadline a plan task may have: 7 days.
    public static let maxDeadlineMinutes = 7 * 24 * 60
    /// The most resources one plan unit may request of one kind.
    public static let maxResourceCount = 500

    /// Every problem of the plan, each naming its field (`units[0].tasks[1].deadline_minutes`).
    /// - Parameter unitExists: whether a concrete unit code names a unit of the reference data.
    public func problems(unitExists: (String) -> Bool) -> [IncidentFieldError] {
        var errors: [IncidentFieldError] = []
        func add(_ field: String, _ code: String, _ message: String) {
            errors.append(.init(field: field, code: code, message: message))
        }
        if !Self.isValidCode(code) { add("code", "bad_code", "code must be 1–64 of a–z 0–9 _ -") }
        if nameZh.trimmingCharacters(in: .whitespaces).isEmpty || nameZh.count > 100 {
            add("name_zh", "bad_name", "name_zh must be 1–100 characters")
        }
        if nameEn.trimmingCharacters(in: .whitespaces).isEmpty || nameEn.count > 100 {
            add("name_en", "bad_name", "name_en must be 1–100 characters")
        }
        if levels.isEmpty { add("levels", "empty", "a plan applies to at least one level: IV, III, II or I") }
        if Set(levels).count != levels.count { add("levels", "duplicate", "a level is listed twice") }
        if units.isEmpty { add("units", "empty", "a plan names at least one unit") }
        var seenUnits = Set<String>()
        for (u, unit) in units.enumerated() {
            let base = "units[\(u)]"
            if !seenUnits.insert(unit.unit).inserted {
                add("\(base).unit", "duplicate", "unit '\(unit.unit)' is listed twice")
            }
            if let problem = Self.unitProblem(unit.unit, unitExists: unitExists) {
                add("\(base).unit", problem.0, problem.1)
            }
            if unit.tasks.isEmpty { add("\(base).tasks", "empty", "each unit gets at least one task") }
            var seenTasks = Set<String>()
            for (t, task) in unit.tasks.enumerated() {
                let field = "\(base).tasks[\(t)]"
                if !Self.isValidCode(task.code) { add("\(field).code", "bad_code", "code must be 1–64 of a–z 0–9 _ -") }
                if !seenTasks.insert(task.code).inserted {
                    add("\(field).code", "duplicate", "task code '\(task.code)' is used twice for this unit")
                }
                if task.titleZh.trimmingCharacters(in: .whitespaces).isEmpty || task.titleZh.count > 200 {
                    add("\(field).title_zh", "bad_title", "title_zh must be 1–200 characters")
                }
                if task.titleEn.trimmingCharacters(in: .whitespaces).isEmpty || task.titleEn.count > 200 {
                    add("\(field).title_en", "bad_title", "title_en must be 1–200 characters")
                }
                if !(1...Self.maxDeadlineMinutes).contains(task.deadlineMinutes) {
                    add(
                        "\(field).deadline_minutes", "out_of_range",
                        "deadline_minutes must be 1–\(Self.maxDeadlineMinutes) (7 days)")
                }
            }
            var seenKinds = Set<ResourceKind>()
            for (r, resource) in unit.resources.enumerated() {
                let field = "\(base).resources[\(r)]"
                if !seenKinds.insert(resource.kind).inserted {
                    add("\(field).kind", "duplicate", "resource kind '\(resource.kind.rawValue)' is listed twice")
                }
                if !(1...Self.maxResourceCount).contains(resource.count) {
                    add("\(field).count", "out_of_range", "count must be 1–\(Self.maxResourceCount)")
                }
            }
        }
        return errors
    }

    static func isValidCode(_ code: String) -> Bool {
        (1...64).contains(code.count)
            && code.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
            }
    }

    /// Why a plan's unit reference is not acceptable: (code, message), or nil.
    static func unitProblem(_ reference: String, unitExists: (String) -> Bool) -> (String, String)? {
        if let template = PlanUnitTemplate(reference) {
            if template.level == .street, !UnitCatalogue.streetKinds.contains(template.kind) {
                return ("no_such_unit", "streets have no '\(template.kind.rawValue)' unit")
            }
            return nil
        }
        if reference.hasPrefix("{") {
            let kinds = UnitKind.allCases.map(\.rawValue).joined(separator: ", ")
            return ("bad_template", "a template is {district}.KIND or {street}.KIND with KIND one of \(kinds)")
        }
        return unitExists(reference) ? nil : ("unknown_unit", "unknown unit '\(reference)' (see GET /api/v1/units)")
    }
}

/// A `{district}.KIND` or `{street}.KIND` unit reference.
public struct PlanUnitTemplate: Sendable, Equatable {
    public var level: RegionLevel
    public var kind: UnitKind

    public init?(_ reference: String) {
        let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = UnitKind(rawValue: parts[1]) else { return nil }
        switch parts[0] {
        case "{district}": level = .district
        case "{street}": level = .street
        default: return nil
        }
        self.kind = kind
    }

    /// The unit codes this template names for an incident whose area has `regionCodes`: the district (or every
    /// street) those regions lie in or are.
    public func unitCodes(regionCodes: [String], in hierarchy: RegionHierarchy) -> [String] {
        var codes: [String] = []
        for region in regionCodes {
            let at = hierarchy[region]?.level == level ? hierarchy[region] : hierarchy.ancestor(of: region, at: level)
            guard let at else { continue }
            let code = Unit.code(regionCode: at.code, kind: kind)
            if !codes.contains(code) { codes.append(code) }
            if level == .district { break }
        }
        return codes
    }
}
