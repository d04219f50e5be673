import CityDomain
import Foundation

/// The files of a bundle's form and the held licences it reuses, checked against every leg's item.
enum BundleUploads {
    /// The files by material code: each code an upload some leg's item asks for, sent once, typed by content and
    /// within size; every leg's required uploads present.
    /// - Throws: ``BundleApplicationError`` (`unknownMaterial`, `missingMaterials` as `ITEM/code`),
    ///   ``GovApplicationError`` (repeats, base64, type, size, too many files).
    static func check(_ inputs: [MaterialInput], plan: BundlePlan, items: [ServiceItem], bundle: UUID) throws
        -> [String: GovBundleUpload]
    {
        guard inputs.count <= GovSubmission.maxFiles else { throw GovApplicationError.tooManyFiles(inputs.count) }
        var uploads: [String: GovBundleUpload] = [:]
        for input in inputs {
            let asks = items.contains { $0.materials.contains { $0.code == input.code && $0.supply == .upload } }
            guard asks else { throw BundleApplicationError.unknownMaterial(input.code) }
            guard uploads[input.code] == nil else { throw GovApplicationError.repeatedMaterial(input.code) }
            let file = try GovSubmission.CheckedUpload(input)
            let row = GovBundleUpload()
            row.id = UUID()
            row.bundleID = bundle
            row.materialCode = input.code
            row.fileName = file.fileName
            row.contentType = file.type.rawValue
            row.byteCount = file.data.count
            row.sha256 = file.sha256
            row.data = file.data
            uploads[input.code] = row
        }
        let missing = items.flatMap { item in
            item.materials.filter { $0.required && $0.supply == .upload && uploads[$0.code] == nil }
                .map { "\(item.code)/\($0.code)" }
        }
        guard missing.isEmpty else { throw BundleApplicationError.missingMaterials(missing) }
        return uploads
    }

    /// Per leg item, the held licences to attach for the e-licence material codes in `consents` (materials another
    /// leg feeds are left to that leg's licence).
    /// - Throws: ``BundleApplicationError/unknownConsent(_:)`` for a code no leg asks for as an e-licence;
    ///   ``LicenceReuse/ConsentError`` when no leg asking for it has a held licence.
    static func heldLicences(
        consents: [String], plan: BundlePlan, items: [ServiceItem], held: [String: [String: GovLicence]]
    ) throws -> [String: [String: UUID]] {
        var result: [String: [String: UUID]] = [:]
        for code in consents {
            let asking = items.filter { item in
                item.materials.contains { $0.code == code && $0.supply == .elicence }
                    && !plan.feeds(into: item.code).contains { $0.material == code }
            }
            guard !asking.isEmpty else { throw BundleApplicationError.unknownConsent(code) }
            var attached = false
            for item in asking {
                guard let licence = held[item.code]?[code]?.id else { continue }
                result[item.code, default: [:]][code] = licence
                attached = true
            }
            guard attached else {
                throw LicenceReuse.ConsentError(
                    reason: "no valid licence is held for material '\(code)': nothing to reuse")
            }
        }
        return result
    }
}
