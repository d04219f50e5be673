import CityDomain
import Foundation
import Vapor

/// The one form of a bundle application: the bundle, the applicant's district, the shared fields, the files (one
/// per material code, shared by every leg that asks for it) and the consents.
struct BundleForm: Content {
    var bundleCode: String
    var regionCode: String?
    var fields: [String: String]?
    var materials: [MaterialInput]?
    /// Consent that licences one leg issues are attached to the legs that need them (once-only reuse, §2).
    var consent: Bool?
    /// E-licence material codes whose already held licences the citizen consents to reuse for every leg asking.
    var consents: [String]?
    var clientToken: String?

    enum CodingKeys: String, CodingKey {
        case fields, materials, consent, consents
        case bundleCode = "bundle_code"
        case regionCode = "region_code"
        case clientToken = "client_token"
    }

    /// SHA-256 (hex) of the form without its client token, keys sorted: a retry with the same key and the same
    /// form matches; another form with that key does not.
    var digest: String {
        var form = self
        form.clientToken = nil
        form.regionCode = regionCode.nonBlank
        form.consents = consents?.sorted()
        form.materials = materials?.sorted { $0.code < $1.code }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(form)) ?? Data()
        return Access.digest(data)
    }

    /// The shared fields checked against `plan`: every required one present and non-blank, no unknown one, none
    /// longer than 200 characters. Returns them trimmed, blanks dropped.
    func checkedFields(for plan: BundlePlan) throws(BundleApplicationError) -> [String: String] {
        let known = plan.definition.sharedFields
        var result: [String: String] = [:]
        for (code, value) in fields ?? [:] {
            guard known.contains(where: { $0.code == code }) else { throw .unknownField(code) }
            guard let trimmed = Optional(value).nonBlank else { continue }
            guard trimmed.unicodeScalars.count <= 200 else { throw .fieldTooLong(code) }
            result[code] = trimmed
        }
        let missing = known.filter { $0.required && result[$0.code] == nil }.map(\.code)
        guard missing.isEmpty else { throw .missingFields(missing) }
        return result
    }
}
