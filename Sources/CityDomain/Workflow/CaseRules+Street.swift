extension CaseRules {
    /// Whether `dispatchDown` and `returnUp` are open to this actor on `record`: its holder is a street/town centre
    /// and the actor acts for it (``holdingStreet(_:_:role:actorUnitCode:_:)``). What the console and the API offer.
    public static func streetActionsOpen(
        on record: CaseRecord, role: OperatorRole?, actorUnitCode: String?, reference: CaseRuleReference
    ) -> Bool {
        (try? holdingStreet(.dispatchDown, record, role: role, actorUnitCode: actorUnitCode, reference)) != nil
    }

    /// The street/town whose operations centre holds the case, if the actor may act for it: 下派 and 上退 belong to
    /// the street/town centre holding the case (属地管理, DESIGN.md §1), and a street operator acts only for their own
    /// centre (administrators and the system for any).
    /// - Throws: ``CaseRuleError/notHeldByStreetCentre(action:unit:)`` when a department, or a district or city
    ///   centre, holds the case; ``CaseRuleError/notTheHoldingCentre(action:holder:)`` when a street operator of
    ///   another centre asks.
    static func holdingStreet(
        _ action: CaseAction, _ record: CaseRecord, role: OperatorRole?, actorUnitCode: String?,
        _ reference: CaseRuleReference
    ) throws(CaseRuleError) -> Region {
        guard let holder = reference.units[record.unitCode], holder.kind == .operationsCentre,
            let street = reference.hierarchy[holder.regionCode], street.level == .street
        else { throw .notHeldByStreetCentre(action: action, unit: record.unitCode) }
        if role == .streetOperator, actorUnitCode != holder.code {
            throw .notTheHoldingCentre(action: action, holder: holder.code)
        }
        return street
    }

    /// The unit a `dispatchDown` names: one of the street's own units (its region is the street or inside it); the
    /// centre itself only together with one of its grid workers.
    /// - Throws: ``CaseRuleError/targetRequired``, ``CaseRuleError/unknownUnit(_:)``,
    ///   ``CaseRuleError/unitNotOfStreet(unit:street:)``, ``CaseRuleError/sameUnit(_:)``.
    static func streetUnit(_ request: CaseRequest, street: Region, reference: CaseRuleReference)
        throws(CaseRuleError) -> Unit
    {
        guard let code = request.unitCode, !code.isEmpty else { throw .targetRequired }
        guard let unit = reference.units[code] else { throw .unknownUnit(code) }
        guard reference.hierarchy.isWithin(unit.regionCode, ancestor: street.code) else {
            throw .unitNotOfStreet(unit: code, street: street.code)
        }
        let assignee = request.assignee ?? ""
        if unit.kind == .operationsCentre, unit.regionCode == street.code, assignee.isEmpty { throw .sameUnit(code) }
        return unit
    }
}
