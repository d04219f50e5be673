import CityDomain
import Fluent
import Vapor

/// One material as sent: an upload in base64, or nothing for an e-licence the government already holds.
struct MaterialInput: Content {
    var code: String
    var fileName: String?
    var contentBase64: String?

    enum CodingKeys: String, CodingKey {
        case code
        case fileName = "file_name"
        case contentBase64 = "content_base64"
    }
}

/// Why an application or a completion was refused (nothing was written).
enum GovApplicationError: Error, Equatable, CustomStringConvertible {
    case unknownItem(String)
    case regionRequired(String)
    case unknownRegion(String)
    case unknownMaterial(String)
    case repeatedMaterial(String)
    case notAnUpload(String)
    case missingMaterials([String])
    case badBase64(String)
    case upload(UploadContent.Problem)
    case tokenRequired
    case tokenReused
    case notFound
    case rule(ApplicationRuleError)
    case concurrentChange
    case tooManyFiles(Int)

    var description: String {
        switch self {
        case .regionRequired(let code): "item \(code) is handled by a district: give region_code (e.g. 310115)"
        case .unknownRegion(let code): "region_code '\(code)' is not a Shanghai district"
        case .missingMaterials(let codes): "missing required materials: " + codes.joined(separator: ", ")
        case .upload(let problem): problem.description
        case .rule(let error): error.description
        case .concurrentChange: "the application changed meanwhile; reload it and try again"
        case .unknownItem, .unknownMaterial, .repeatedMaterial, .notAnUpload, .badBase64, .tokenRequired, .tokenReused,
            .notFound, .tooManyFiles:
            // Worded once, in the catalogue (gov.*, ``message``): the API's reason is its English.
            message?.text(.en) ?? ""
        }
    }
}

extension GovApplicationError {
    /// The catalogue's message (`gov.*`) for the refusals it words (the console's pages, and the API's English
    /// ``description``); nil for those the console's forms word themselves (GovConsoleErrors).
    var message: Message? {
        switch self {
        case .unknownItem(let code): Message("gov.unknown_item", ["code": code])
        case .unknownMaterial(let code): Message("gov.unknown_material", ["code": code])
        case .repeatedMaterial(let code): Message("gov.repeated_material", ["code": code])
        case .notAnUpload(let code): Message("gov.not_an_upload", ["code": code])
        case .badBase64(let code): Message("gov.bad_base64", ["code": code])
        case .tokenRequired: Message("gov.token_required")
        case .tokenReused: Message("gov.token_reused")
        case .notFound: Message("gov.not_found")
        case .tooManyFiles(let count):
            Message("gov.too_many_files", ["count": "\(count)", "maximum": "\(GovSubmission.maxFiles)"])
        case .rule(.illegal(let action, let state)):
            Message("gov.illegal", ["application_action": action.rawValue, "application_state": state.rawValue])
        default: nil
        }
    }
}

extension GovApplicationError: AbortError {
    var status: HTTPResponseStatus {
        switch self {
        case .tokenReused, .concurrentChange: .conflict
        case .notFound: .notFound
        case .rule(.illegal): .conflict
        case .upload(.tooLarge): .payloadTooLarge
        case .upload(.notAcceptedType): .unsupportedMediaType
        default: .badRequest
        }
    }
    var reason: String { description }
}

/// Checks materials against an item: known codes, no repeats, uploads typed by content and within size, every
/// required upload present (on a first submission). Returns rows to store (without an application id).
enum GovSubmission {
    /// Most files in one request.
    static let maxFiles = 10
    /// Largest JSON body accepted by the submission and completion routes: 10 files of 2 MiB in base64, plus room.
    static let maxBodyBytes = maxFiles * UploadContent.maxBytes * 4 / 3 + 64 * 1024

    /// - Parameter licences: e-licence material code → the held licence the citizen consented to reuse for it
    ///   (``LicenceReuse``); stored on the material with the time of consent.
    /// One uploaded file decoded and typed by its content: what a single application and a bundle's form store.
    struct CheckedUpload {
        let data: Data
        let type: UploadContent
        /// The sender's file name, at most 200 characters.
        let fileName: String?
        let sha256: String

        /// - Throws: ``GovApplicationError/badBase64(_:)`` and ``GovApplicationError/upload(_:)`` (type or size).
        init(_ input: MaterialInput) throws(GovApplicationError) {
            guard let text = input.contentBase64, let data = Data(base64Encoded: text) else {
                throw .badBase64(input.code)
            }
            do { type = try UploadContent.detect([UInt8](data), name: input.fileName ?? input.code) } catch {
                throw .upload(error)
            }
            self.data = data
            fileName = input.fileName.map { String($0.prefix(200)) }
            sha256 = Access.digest(data)
        }
    }

    static func materials(
        _ inputs: [MaterialInput], for item: ServiceItem, round: Int, requireAll: Bool, now: Date,
        licences: [String: UUID] = [:]
    ) throws(GovApplicationError) -> [GovMaterial] {
        guard inputs.count <= maxFiles else { throw .tooManyFiles(inputs.count) }
        var seen = Set<String>()
        var rows: [GovMaterial] = []
        for input in inputs {
            guard let material = item.materials.first(where: { $0.code == input.code }) else {
                throw .unknownMaterial(input.code)
            }
            guard seen.insert(input.code).inserted else { throw .repeatedMaterial(input.code) }
            guard material.supply == .upload else { throw .notAnUpload(input.code) }
            let file = try CheckedUpload(input)
            let row = GovMaterial()
            row.id = UUID()
            row.materialCode = input.code
            row.round = round
            row.supply = "upload"
            row.fileName = file.fileName
            row.contentType = file.type.rawValue
            row.byteCount = file.data.count
            row.sha256 = file.sha256
            row.data = file.data
            row.createdAt = now
            rows.append(row)
        }
        if requireAll {
            let missing = item.materials.filter { $0.required && $0.supply == .upload && !seen.contains($0.code) }
            guard missing.isEmpty else { throw .missingMaterials(missing.map(\.code)) }
            for material in item.materials where material.supply == .elicence {
                let row = GovMaterial()
                row.id = UUID()
                row.materialCode = material.code
                row.round = round
                row.supply = "elicence"
                row.elicence = material.elicence
                row.createdAt = now
                if let licence = licences[material.code] {
                    row.licenceID = licence
                    row.consentedAt = now
                }
                rows.append(row)
            }
        }
        return rows
    }

    /// The unit handling `item` for an applicant in `regionCode`: the district's department of the item's kind, or
    /// the city's for a city-level item.
    static func unit(for item: ServiceItem, regionCode: String?, reference: CityReference)
        throws(GovApplicationError) -> (unit: String, region: String)
    {
        let root = reference.hierarchy.root.code
        if item.level == .city { return (CityDomain.Unit.code(regionCode: root, kind: item.department), root) }
        guard let regionCode else { throw .regionRequired(item.code) }
        guard reference.hierarchy[regionCode]?.level == .district else { throw .unknownRegion(regionCode) }
        let unit = CityDomain.Unit.code(regionCode: regionCode, kind: item.department)
        guard reference.units[unit] != nil else { throw .unknownRegion(regionCode) }
        return (unit, regionCode)
    }
}
