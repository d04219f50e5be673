import CityDomain
import Foundation
import Open311

/// Maps a parsed GeoReport v2 submission to an ``IntakeReport``, applying CityNet's text rules to every free-text
/// field. - Throws: `Open311Error` (400) naming the field.
enum Open311Intake {
    /// - Parameter key: the submitting client's API key (id and name, for the report and the audit trail).
    static func report(from submission: Open311RequestSubmission, key: APIKeyCache.Key) throws -> IntakeReport {
        let texts: [(String, String?, Int)] = [
            ("description", submission.description, TextRules.maxDescriptionLength),
            ("address_string", submission.addressString, 500), ("address_id", submission.addressID, 100),
            ("first_name", submission.firstName, 100), ("last_name", submission.lastName, 100),
            ("email", submission.email, 254), ("phone", submission.phone, 40),
            ("device_id", submission.deviceID, 200), ("account_id", submission.accountID, 200),
            ("media_url", submission.mediaURL, 2000),
        ]
        for (field, value, maximum) in texts {
            guard let value else { continue }
            do { try TextRules.validate(value, field: field, maxLength: maximum) } catch {
                throw Open311Error.badRequest("\(error)")
            }
        }
        for (code, values) in submission.attributes {
            for value in values {
                do { try TextRules.validate(value, field: "attribute[\(code)]", maxLength: 1000) } catch {
                    throw Open311Error.badRequest("\(error)")
                }
            }
        }
        var point: GeoPoint?
        if let coordinate = submission.coordinate {
            do { point = try GeoPoint(latitude: coordinate.lat, longitude: coordinate.long) } catch {
                throw Open311Error.badRequest("\(error)")
            }
        }
        var attributes: String?
        if !submission.attributes.isEmpty {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            attributes = String(decoding: try encoder.encode(submission.attributes), as: UTF8.self)
        }
        let name = [submission.lastName, submission.firstName].compactMap { $0 }.joined()
        return IntakeReport(
            source: .open311, categoryCode: submission.serviceCode, description: submission.description,
            address: submission.addressString, addressID: submission.addressID, point: point,
            chosenRegionCode: nil, reporterEmail: submission.email, reporterPhone: submission.phone,
            reporterName: name.isEmpty ? nil : name, deviceID: submission.deviceID, accountID: submission.accountID,
            mediaURL: submission.mediaURL, attributes: attributes, apiKeyID: key.id, actor: "open311:\(key.name)")
    }
}
