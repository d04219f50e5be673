import CityDomain
import Foundation
import Vapor

/// One measure item by item and as a bundle.
struct BundleFigureDTO: Content {
    var itemByItem: Int
    var bundle: Int
    var saved: Int

    init(_ figure: BundleSavings.Figure) {
        itemByItem = figure.itemByItem
        bundle = figure.bundle
        saved = figure.saved
    }

    enum CodingKeys: String, CodingKey {
        case bundle, saved
        case itemByItem = "item_by_item"
    }
}

/// What a bundle saves (``BundleSavings``); days are promised working days.
struct BundleSavingsDTO: Content {
    var applications: BundleFigureDTO
    var steps: BundleFigureDTO
    var materials: BundleFigureDTO
    var visits: BundleFigureDTO
    var days: BundleFigureDTO
    var criticalPath: [String]

    init(_ savings: BundleSavings) {
        applications = BundleFigureDTO(savings.applications)
        steps = BundleFigureDTO(savings.steps)
        materials = BundleFigureDTO(savings.materials)
        visits = BundleFigureDTO(savings.visits)
        days = BundleFigureDTO(savings.days)
        criticalPath = savings.criticalPath
    }

    enum CodingKeys: String, CodingKey {
        case applications, steps, materials, visits, days
        case criticalPath = "critical_path"
    }
}

/// A bundle of the public catalogue: its legs in order, what feeds what, the shared fields and the savings.
struct BundleDTO: Content {
    struct Leg: Content {
        var itemCode: String
        var nameZh: String
        var nameEn: String
        var waitsFor: [String]
        /// 0: submitted at once; k: after k legs one after the other.
        var wave: Int
        var promisedDays: Int

        enum CodingKeys: String, CodingKey {
            case wave
            case itemCode = "item_code"
            case nameZh = "name_zh"
            case nameEn = "name_en"
            case waitsFor = "waits_for"
            case promisedDays = "promised_days"
        }
    }

    struct Field: Content {
        var code: String
        var nameZh: String
        var nameEn: String
        var required: Bool

        enum CodingKeys: String, CodingKey {
            case code, required
            case nameZh = "name_zh"
            case nameEn = "name_en"
        }
    }

    var code: String
    var nameZh: String
    var nameEn: String
    var lifeEvent: String
    var legs: [Leg]
    var feeds: [BundleDefinition.Feed]
    var sharedFields: [Field]
    var savings: BundleSavingsDTO
    var source: String

    init(_ plan: BundlePlan, catalogue: ServiceCatalogue) {
        let definition = plan.definition
        code = definition.code
        nameZh = definition.nameZh
        nameEn = definition.nameEn
        lifeEvent = definition.lifeEvent
        legs = plan.order.map { code in
            let item = catalogue[code]
            return Leg(
                itemCode: code, nameZh: item?.nameZh ?? code, nameEn: item?.nameEn ?? code,
                waitsFor: plan.dependencies[code] ?? [],
                wave: plan.waves.firstIndex { $0.contains(code) } ?? 0, promisedDays: item?.promisedDays ?? 0)
        }
        feeds = definition.feeds
        sharedFields = definition.sharedFields.map {
            Field(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn, required: $0.required)
        }
        savings = BundleSavingsDTO(BundleSavings(plan: plan, catalogue: catalogue))
        source = definition.source
    }

    enum CodingKeys: String, CodingKey {
        case code, legs, feeds, savings, source
        case nameZh = "name_zh"
        case nameEn = "name_en"
        case lifeEvent = "life_event"
        case sharedFields = "shared_fields"
    }
}

struct BundleListDTO: Content {
    var bundles: [BundleDTO]
}

/// A citizen's bundle application with each leg's own state; the bundle's state is derived from the legs.
struct BundleApplicationDTO: Content {
    struct Leg: Content {
        var itemCode: String
        var nameZh: String
        var nameEn: String
        /// `waiting` (for the legs in `waits_for`), or the state of the leg's current application.
        var state: String
        var waitsFor: [String]
        var attempt: Int
        var applicationId: UUID?
        var unitCode: String
        var promisedDueAt: Date?
        /// Why the leg was refused or what to complete.
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case state, attempt, reason
            case itemCode = "item_code"
            case nameZh = "name_zh"
            case nameEn = "name_en"
            case waitsFor = "waits_for"
            case applicationId = "application_id"
            case unitCode = "unit_code"
            case promisedDueAt = "promised_due_at"
        }
    }

    var id: UUID
    var bundleCode: String
    var state: String
    var regionCode: String?
    var submittedAt: Date
    /// The bundle's promised deadline: the longest path of promised working days from submission.
    var dueAt: Date?
    var timeLimitProblem: String?
    var fields: [String: String]
    var legs: [Leg]

    enum CodingKeys: String, CodingKey {
        case id, state, fields, legs
        case bundleCode = "bundle_code"
        case regionCode = "region_code"
        case submittedAt = "submitted_at"
        case dueAt = "due_at"
        case timeLimitProblem = "time_limit_problem"
    }
}
