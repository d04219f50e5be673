import Foundation

/// The city's service items, with the life events (一件事) that group them.
public struct ServiceCatalogue: Sendable {
    /// A life event: several items a citizen needs at one moment of life (出生一件事).
    public struct LifeEvent: Codable, Hashable, Sendable {
        public var code: String
        public var nameZh: String
        public var nameEn: String
    }

    public let items: [ServiceItem]
    public let lifeEvents: [LifeEvent]
    /// The e-licence kinds items produce, by code.
    public let licenceKinds: [String: LicenceKind]
    private let byCode: [String: ServiceItem]

    /// Why a catalogue file was refused.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Decodes and checks a catalogue: unique codes, known life events, promised limits within the legal ones,
    /// at least one step, material codes unique per item, e-licence materials naming their kind, produced licence
    /// kinds defined once with a valid type code.
    /// - Throws: ``Problem`` naming the first fault, or a `DecodingError`.
    public init(json: Data) throws {
        struct File: Decodable {
            var lifeEvents: [LifeEvent]
            var items: [ServiceItem]
            var licenceKinds: [LicenceKind]?
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let file = try decoder.decode(File.self, from: json)
        let events = Set(file.lifeEvents.map(\.code))
        var kinds: [String: LicenceKind] = [:]
        for kind in file.licenceKinds ?? [] {
            guard kinds[kind.code] == nil else { throw Problem(description: "licence kind \(kind.code) appears twice") }
            guard !kind.typeCode.isEmpty, kind.typeCode.allSatisfy(LicenceNumber.isCodeCharacter) else {
                throw Problem(description: "licence kind \(kind.code): type code must be upper-case letters and digits")
            }
            guard (kind.validityYears ?? 1) > 0 else {
                throw Problem(description: "licence kind \(kind.code): validity must be at least a year")
            }
            kinds[kind.code] = kind
        }
        var seen: [String: ServiceItem] = [:]
        for item in file.items {
            guard seen[item.code] == nil else { throw Problem(description: "item \(item.code) appears twice") }
            guard item.promisedDays >= 0, item.legalDays >= item.promisedDays else {
                throw Problem(description: "item \(item.code): promised limit exceeds the legal one")
            }
            guard item.kind == .promised || item.promisedDays == 0 else {
                throw Problem(description: "item \(item.code): an immediate item has no promised days")
            }
            guard !item.steps.isEmpty else { throw Problem(description: "item \(item.code) has no steps") }
            guard Set(item.materials.map(\.code)).count == item.materials.count else {
                throw Problem(description: "item \(item.code) repeats a material code")
            }
            guard item.materials.allSatisfy({ $0.supply == .upload || $0.elicence != nil }) else {
                throw Problem(description: "item \(item.code): an e-licence material names no e-licence kind")
            }
            guard item.level == .city || item.level == .district else {
                throw Problem(description: "item \(item.code): level must be city or district")
            }
            if let produced = item.produces, kinds[produced] == nil {
                throw Problem(description: "item \(item.code) produces unknown licence kind \(produced)")
            }
            if let unknown = item.lifeEvents.first(where: { !events.contains($0) }) {
                throw Problem(description: "item \(item.code) names unknown life event \(unknown)")
            }
            seen[item.code] = item
        }
        items = file.items
        lifeEvents = file.lifeEvents
        licenceKinds = kinds
        byCode = seen
    }

    /// The item with `code`, or nil.
    public subscript(code: String) -> ServiceItem? { byCode[code] }

    /// Items matching every given filter, in catalogue order.
    /// - Parameters:
    ///   - department: a unit kind raw value (`health`).
    ///   - lifeEvent: a life event code (`newborn`).
    ///   - query: a keyword matched by ``ServiceItem/matches(_:)``; blank means no keyword filter.
    public func search(department: UnitKind? = nil, lifeEvent: String? = nil, query: String? = nil) -> [ServiceItem] {
        let keyword = query?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return items.filter { item in
            (department == nil || item.department == department)
                && (lifeEvent == nil || item.lifeEvents.contains(lifeEvent!))
                && (keyword.isEmpty || item.matches(keyword))
        }
    }

    /// The catalogue bundled in `Resources/govservices/service_items.json`, read once.
    /// - Throws: ``Problem`` when the resource is missing, or the file's own faults.
    public static func bundled() throws -> ServiceCatalogue { try bundledCatalogue.get() }

    private static let bundledCatalogue: Result<ServiceCatalogue, any Error> = Result {
        guard
            let url = Bundle.module.url(forResource: "Resources/govservices/service_items", withExtension: "json")
                ?? Bundle.module.url(
                    forResource: "service_items", withExtension: "json", subdirectory: "Resources/govservices")
        else { throw Problem(description: "bundled resource Resources/govservices/service_items.json not found") }
        return try ServiceCatalogue(json: try Data(contentsOf: url))
    }
}
