/// What kind of user performs an action; `CaseWorkflow.roles(allowedFor:)` maps actions to roles.
///
/// Raw values are stored with user accounts. Names after the operations-centre hierarchy (城运中心 市/区/街镇) of
/// DESIGN.md §5.
public enum OperatorRole: String, Codable, CaseIterable, Sendable {
    /// An operator of the city operations centre (市城运中心).
    case cityOperator = "city_operator"
    /// An operator of a district operations centre (区城运中心).
    case districtOperator = "district_operator"
    /// An operator of a street or town operations centre (街镇城运中心).
    case streetOperator = "street_operator"
    /// Staff of a responsible unit or department who handle dispatched cases (承办人).
    case caseworker
    /// A grid worker (网格员), who handles small cases and verifies on site.
    case gridWorker = "grid_worker"
    /// A system administrator, allowed every action.
    case administrator

    /// The Chinese label shown in the console.
    public var nameZh: String {
        switch self {
        case .cityOperator: return "市城运中心操作员"
        case .districtOperator: return "区城运中心操作员"
        case .streetOperator: return "街镇城运中心操作员"
        case .caseworker: return "承办人员"
        case .gridWorker: return "网格员"
        case .administrator: return "系统管理员"
        }
    }
}
