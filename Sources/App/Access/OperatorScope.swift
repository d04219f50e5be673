import CityDomain
import Vapor

/// The signed-in operator and what they may see: their unit's region subtree, and for department caseworkers
/// and grid workers only the cases assigned to their own unit.
struct OperatorScope: Authenticatable, Sendable {
    let operatorID: UUID
    let username: String
    let role: OperatorRole
    let unitCode: String
    let regionCode: String

    /// Operators of operations centres and administrators: they see every case of their region, take 12345 calls
    /// and triage. Caseworkers and grid workers see only their unit's cases.
    var worksForACentre: Bool {
        switch role {
        case .cityOperator, .districtOperator, .streetOperator, .administrator: true
        case .caseworker, .gridWorker: false
        }
    }

    /// Whether a case at `regionCode` assigned to `unitCode` is visible to this operator.
    func canSee(regionCode caseRegion: String, unitCode caseUnit: String, in hierarchy: RegionHierarchy) -> Bool {
        hierarchy.isWithin(caseRegion, ancestor: regionCode) && (onlyUnit == nil || caseUnit == onlyUnit)
    }

    /// Whether a sensor (its region and responsible unit) is visible to this operator, as a case there would be.
    func canSee(_ sensor: Sensor, in hierarchy: RegionHierarchy) -> Bool {
        canSee(regionCode: sensor.regionCode, unitCode: sensor.unitCode, in: hierarchy)
    }

    /// Whether this operator may search by a reporter's phone number (issue #12 §2): the operations centres, who
    /// take the 12345 calls that carry the caller's number (``HotlineCallerAuthenticator`` admits exactly them) and
    /// call reporters back. No page or API response shows a reporter's phone to anyone (``ReportDTO``); a phone
    /// search only finds the reports that number made.
    var seesReporterContact: Bool { worksForACentre }

    /// Whether this operator may change what applies to the whole city as data: the status-code rules (issue #16)
    /// and the joint-incident response plans (issue #15). City-centre operators and administrators only.
    var editsCityRules: Bool { role == .cityOperator || role == .administrator }

    /// The unit a caseworker or grid worker is limited to; nil for roles that see their whole region.
    var onlyUnit: String? { worksForACentre ? nil : unitCode }

    /// The region codes inside this operator's subtree, or nil when that is the whole city (no filter needed).
    func regionCodes(in hierarchy: RegionHierarchy) -> [String]? {
        regionCode == hierarchy.root.code ? nil : hierarchy.subtree(of: regionCode)
    }

    /// The audit-trail actor for this operator.
    var actor: CaseActor { CaseActor(name: username, unitCode: unitCode, role: role) }
}

/// Who performs a case action, for role checks and the audit trail.
struct CaseActor: Sendable {
    let name: String
    let unitCode: String?
    /// nil for the system itself (intake, escalation sweep), which may perform any step.
    let role: OperatorRole?

    static let system = CaseActor(name: "system", unitCode: nil, role: nil)
}
