import CityDomain
import Vapor

/// Who may see and act on an incident (issue 15 §1), from the operator's scope:
///
/// - **see** (and post messages): an operator of a unit taking part, or an operations-centre operator (or
///   administrator) whose region holds one of the incident's regions;
/// - **command** (start a plan, request resources, add units, link cases, close): an operator of its lead unit, or
///   an operations-centre operator who could have declared it (their region holds every region of its area: one
///   district's centre does not command an incident that spans two districts);
/// - **a task**: only operators of the task's own unit accept and sign it off;
/// - **an assignment** (dispatched, arrived, released): operators of the unit that requested it, or a commander.
///
/// Anyone who cannot see the incident gets 404 (as for a case outside scope); one who sees it but may not do the
/// action gets 403.
struct IncidentAccess {
    let scope: OperatorScope
    let hierarchy: RegionHierarchy

    func canSee(_ incident: IncidentRow, units: [IncidentUnitRow]) -> Bool {
        canSee(regionCodes: incident.regions, unitCodes: units.map(\.unitCode))
    }

    /// The rule of ``canSee(_:units:)`` over the incident's regions and the codes of the units taking part (what a
    /// live event carries).
    func canSee(regionCodes: [String], unitCodes: [String]) -> Bool {
        unitCodes.contains(scope.unitCode)
            || (scope.worksForACentre && regionCodes.contains { hierarchy.isWithin($0, ancestor: scope.regionCode) })
    }

    func canCommand(_ incident: IncidentRow, units: [IncidentUnitRow]) -> Bool {
        scope.unitCode == incident.leadUnitCode || canDeclare(regionCodes: incident.regions)
    }

    /// Whether this operator may declare an incident over `regionCodes`: an operations-centre operator (or
    /// administrator) whose region holds every one of them.
    func canDeclare(regionCodes: [String]) -> Bool {
        scope.worksForACentre && regionCodes.allSatisfy { hierarchy.isWithin($0, ancestor: scope.regionCode) }
    }
}

/// An incident with the rows access and most answers need.
struct LoadedIncident: Sendable {
    var incident: IncidentRow
    var units: [IncidentUnitRow]
}

extension Request {
    /// The incident named by the `incidentID` path parameter if the operator may see it.
    /// - Throws: 400 for an id that is not an integer; 404 for an unknown incident or one outside scope.
    func visibleIncident() async throws -> (LoadedIncident, IncidentAccess) {
        guard let id = parameters.get("id", as: Int.self) else {
            throw LocalizedRefusal(.badRequest, "incident.id_not_integer")
        }
        let access = IncidentAccess(scope: try auth.require(OperatorScope.self), hierarchy: reference.hierarchy)
        let store = IncidentStore(sql: try db.sql())
        guard let incident = try await store.incident(id) else {
            throw LocalizedRefusal(.notFound, "incident.not_found", ["id": "\(id)"])
        }
        let units = try await store.units(id)
        guard access.canSee(incident, units: units) else {
            throw LocalizedRefusal(.notFound, "incident.not_found", ["id": "\(id)"])
        }
        return (LoadedIncident(incident: incident, units: units), access)
    }

    /// As ``visibleIncident()``, and the operator may command it (403 otherwise, naming `action`: the catalogue's
    /// `incident.may.<action>`, e.g. `start_plans`).
    func commandedIncident(_ action: String) async throws -> (LoadedIncident, IncidentAccess) {
        let (loaded, access) = try await visibleIncident()
        guard access.canCommand(loaded.incident, units: loaded.units) else {
            throw LocalizedRefusal(
                .forbidden, "incident.not_commander",
                ["unit": loaded.incident.leadUnitCode, "phrase_action": "incident.may.\(action)"])
        }
        return (loaded, access)
    }
}
