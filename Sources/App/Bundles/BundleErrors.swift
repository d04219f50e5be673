import Vapor

/// Why a bundle request was refused (nothing was written).
enum BundleApplicationError: Error, Equatable, CustomStringConvertible {
    case unknownBundle(String)
    case missingFields([String])
    case unknownField(String)
    case fieldTooLong(String)
    case consentRequired(String)
    case unknownMaterial(String)
    case missingMaterials([String])
    case unknownConsent(String)
    case bodyChanged
    case notFound
    case unknownLeg(String)
    case legNotRefused(item: String, state: String)

    var description: String {
        switch self {
        case .unknownBundle(let code): "unknown bundle_code '\(code)' (see GET /api/v1/bundles)"
        case .missingFields(let codes): "missing shared fields: " + codes.joined(separator: ", ")
        case .unknownField(let code): "'\(code)' is not a shared field of this bundle"
        case .fieldTooLong(let code): "shared field '\(code)' must be at most 200 characters"
        case .consentRequired(let feeds):
            "consent not given: this bundle attaches the licences its legs issue to later legs (\(feeds)); "
                + "send \"consent\": true"
        case .unknownMaterial(let code): "material '\(code)' is not an upload any item of this bundle asks for"
        case .missingMaterials(let codes): "missing required materials: " + codes.joined(separator: ", ")
        case .unknownConsent(let code): "consent '\(code)' is not an e-licence material of any leg of this bundle"
        case .bodyChanged:
            "this Idempotency-Key was already used for a bundle application with a different body"
        case .notFound: "no such bundle application"
        case .unknownLeg(let code): "item '\(code)' is not a leg of this bundle"
        case .legNotRefused(let item, let state):
            "leg \(item) is \(state), not refused: only a refused leg is resubmitted"
        }
    }
}

extension BundleApplicationError: AbortError {
    var status: HTTPResponseStatus {
        switch self {
        case .bodyChanged, .legNotRefused: .conflict
        case .notFound, .unknownLeg: .notFound
        default: .badRequest
        }
    }
    var reason: String { description }
}

extension BundleApplicationError {
    /// The refusal in Chinese, for the citizens' pages.
    var chinese: String {
        switch self {
        case .unknownBundle(let code): "没有“\(code)”这件事"
        case .missingFields(let codes): "请填写共用信息：" + codes.joined(separator: "、")
        case .unknownField(let code): "“\(code)”不是这件事的共用信息"
        case .fieldTooLong(let code): "共用信息“\(code)”不超过 200 字"
        case .consentRequired: "请勾选同意：前一事项签发的电子证照用于后续事项"
        case .unknownMaterial(let code): "这件事的各事项都不需要材料“\(code)”"
        case .missingMaterials(let codes): "缺少必需材料：" + codes.joined(separator: "、")
        case .unknownConsent(let code): "“\(code)”不是这件事任何事项的电子证照材料"
        case .bodyChanged: "该表单已以不同内容提交过，请刷新页面后重新填写"
        case .notFound: "没有这件办件"
        case .unknownLeg(let code): "“\(code)”不是这件事的事项"
        case .legNotRefused(let item, _): "事项 \(item) 未被退回，只有不予许可的事项可以重新提交"
        }
    }
}
