import Foundation

/// The level of an incident (突发事件分级). Codes are the Roman numerals of the national scheme — 国家突发公共事件
/// 总体应急预案 (State Council, 2006) §1.3: Ⅰ 特别重大, Ⅱ 重大, Ⅲ 较大, Ⅳ 一般 — stored in `incidents.level`.
public enum IncidentLevel: String, Codable, CaseIterable, Sendable, Comparable {
    /// 一般 (level Ⅳ).
    case general = "IV"
    /// 较大 (level Ⅲ).
    case larger = "III"
    /// 重大 (level Ⅱ).
    case major = "II"
    /// 特别重大 (level Ⅰ).
    case extraordinary = "I"

    public var nameZh: String {
        switch self {
        case .general: "一般"
        case .larger: "较大"
        case .major: "重大"
        case .extraordinary: "特别重大"
        }
    }

    public var nameEn: String {
        switch self {
        case .general: "general"
        case .larger: "larger"
        case .major: "major"
        case .extraordinary: "extraordinary"
        }
    }

    /// Severity order: Ⅳ < Ⅲ < Ⅱ < Ⅰ.
    public var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: IncidentLevel, rhs: IncidentLevel) -> Bool { lhs.rank < rhs.rank }
}

/// What kind of incident it is; decides which response plans apply and which case categories join it.
public enum IncidentType: String, Codable, CaseIterable, Sendable {
    /// Ferries suspended (gale, fog) with passengers stranded at a terminal.
    case ferrySuspension = "ferry_suspension"
    /// Road ponding after a rainstorm.
    case roadPonding = "road_ponding"
    /// Ice on bridge decks.
    case bridgeIce = "bridge_ice"
    /// Anything else an operator declares; no plan is shipped for it.
    case other

    public var nameZh: String {
        switch self {
        case .ferrySuspension: "轮渡停航旅客滞留"
        case .roadPonding: "暴雨道路积水"
        case .bridgeIce: "桥面结冰"
        case .other: "其他突发事件"
        }
    }

    public var nameEn: String {
        switch self {
        case .ferrySuspension: "Ferry suspension, passengers stranded"
        case .roadPonding: "Road ponding after a rainstorm"
        case .bridgeIce: "Bridge-deck ice"
        case .other: "Other incident"
        }
    }

    /// The case categories (codes of `categories.json`) whose new cases in the incident's area join it while it is
    /// active, unless the incident names its own.
    public var categoryCodes: [String] {
        switch self {
        case .ferrySuspension: ["traffic.stranded_passengers", "traffic.congestion"]
        case .roadPonding: ["road.ponding"]
        case .bridgeIce: ["road.bridge_ice"]
        case .other: []
        }
    }
}

/// An incident's state (`incidents.state`).
public enum IncidentState: String, Codable, CaseIterable, Sendable {
    case active, closed
}

/// How a unit takes part (主办 / 协办), stored in `incident_units.role`.
public enum IncidentUnitRole: String, Codable, CaseIterable, Sendable {
    /// 主办: the unit that leads the response.
    case lead
    /// 协办: a unit that assists.
    case assist
}

/// A task's state (`incident_tasks.state`): open → accepted → done (signed off by its unit).
public enum IncidentTaskState: String, Codable, CaseIterable, Sendable {
    case open, accepted, done
}

/// Where an incident came from (`incidents.source`).
public enum IncidentSource: String, Codable, CaseIterable, Sendable {
    case `case`, alarm, `operator`
}

/// The kind of a timeline entry (`incident_events.kind`).
public enum IncidentEventKind: String, Codable, CaseIterable, Sendable {
    /// Something that happened (declared, task accepted, bus arrived…).
    case event
    /// A decision (plan started, incident closed, level changed).
    case decision
    /// A message an operator posted.
    case message
}

/// The kind of a resource in a pool (`resources.kind`).
public enum ResourceKind: String, Codable, CaseIterable, Sendable {
    case bus
    case pumpTruck = "pump_truck"
    case gritter
    case crew
}

/// An assignment of one resource to an incident (`resource_assignments.state`):
/// requested → dispatched → arrived → released, each step timestamped.
public enum AssignmentState: String, Codable, CaseIterable, Sendable {
    case requested, dispatched, arrived, released

    /// The state one step on makes from this one, or nil when `step` does not follow it.
    public func after(_ step: AssignmentState) -> AssignmentState? {
        switch (self, step) {
        case (.requested, .dispatched), (.dispatched, .arrived), (.requested, .released), (.dispatched, .released),
            (.arrived, .released):
            step
        default: nil
        }
    }
}
