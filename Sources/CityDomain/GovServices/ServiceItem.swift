import Foundation

/// A government service item (政务服务事项) as the catalogue describes it: who handles it, in how many working days,
/// with which materials, online or at a counter, for what fee, and which life events it belongs to.
///
/// Decoded from `Resources/govservices/service_items.json` (snake_case keys); facts follow the 办事指南 named in
/// ``source`` (see that folder's PROVENANCE.md).
public struct ServiceItem: Codable, Hashable, Sendable, Identifiable {
    /// Whether the item is settled at once (即办件) or by a promised date (承诺件).
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// 即办件: decided on the spot; the promised limit is the day of acceptance.
        case immediate
        /// 承诺件: decided within the promised number of working days.
        case promised
    }

    /// One document the application needs.
    public struct Material: Codable, Hashable, Sendable {
        /// How a material is supplied.
        public enum Supply: String, Codable, Sendable {
            /// The citizen uploads a scan or photo (PDF, JPEG or PNG).
            case upload
            /// The government already holds it as an e-licence (电子证照) of ``Material/elicence``; the citizen only
            /// authorises its use.
            case elicence
        }
        /// Stable code within the item, e.g. `birth_certificate`.
        public var code: String
        public var nameZh: String
        public var nameEn: String
        public var supply: Supply
        /// The e-licence kind for ``Supply/elicence`` materials, e.g. `resident_id_card`.
        public var elicence: String?
        /// Whether an application without it is incomplete.
        public var required: Bool
    }

    /// Stable code, e.g. `SH-GA-0001`.
    public var code: String
    public var nameZh: String
    public var nameEn: String
    /// The unit kind of the department that handles it (`health`, `police`, …).
    public var department: UnitKind
    /// The level of the handling department: `city` or `district` (a district item goes to the applicant's
    /// district).
    public var level: RegionLevel
    public var kind: Kind
    /// 法定时限 in working days (0 for items decided on the spot).
    public var legalDays: Int
    /// 承诺时限 in working days (0 for 即办件: due at 24:00 of the day of acceptance).
    public var promisedDays: Int
    public var materials: [Material]
    /// Whether the whole item can be done online (全程网办).
    public var online: Bool
    /// Counter visits needed at most (跑动次数): 0 for 全程网办.
    public var visits: Int
    /// Fee in yuan (0 = free) and what it covers.
    public var feeYuan: Double
    public var feeNote: String?
    /// The caseworker's steps (受理, 审核, 决定, 制证/送达…), in order.
    public var steps: [String]
    /// Life events (一件事) the item belongs to, e.g. `newborn`.
    public var lifeEvents: [String]
    /// Words citizens search with besides the names.
    public var keywords: [String]
    /// The published 办事指南 the facts were taken from.
    public var source: String
    /// The e-licence kind (``LicenceKind/code``) approving an application issues, or nil when the result is no
    /// certificate (a payment, an enrolment).
    public var produces: String? = nil

    public var id: String { code }

    /// The materials the citizen uploads.
    public var uploads: [Material] { materials.filter { $0.supply == .upload } }

    /// Whether `query` (already trimmed, any case) occurs in a name, the codes, a keyword, a material or a life
    /// event: a substring match, which suits Chinese (no word boundaries) and English alike.
    public func matches(_ query: String) -> Bool {
        let needle = query.lowercased()
        let haystack =
            [nameZh, nameEn, code, department.nameZh, department.nameEn] + keywords + lifeEvents
            + materials.flatMap { [$0.nameZh, $0.nameEn] }
        return haystack.contains { $0.lowercased().contains(needle) }
    }
}
