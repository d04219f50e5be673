import Hotline
import NIOConcurrencyHelpers
import Vapor

/// The hotline's triage engine for this app: the classifier loaded once at start, with rules and place names
/// rebuilt from the reference data whenever it changes (a category edit, imported polygons).
struct HotlineSetup: Sendable {
    let model: HotlineModel
    let threshold: Double
    /// The bundled router, with ``AppConfig/routerThreshold`` applied.
    let router: UnitRouter

    /// The bundled model, read once per process (about 0.1 s; every test app shares it).
    static let bundledModel = Result { try HotlineModel.bundledDefault() }
    /// The bundled unit-kind router (issue 10 §2), read once per process.
    static let bundledRouter = Result { try UnitRouter.bundledDefault() }

    /// - Parameters:
    ///   - modelPath: a model file from `citynet hotline train --out`, or nil for the bundled model.
    ///   - threshold: see ``AppConfig/triageThreshold``.
    ///   - routerThreshold: see ``AppConfig/routerThreshold``; nil keeps the router file's.
    /// - Throws: when the model file is missing or not a CityNet hotline model, or the bundled router cannot be read.
    init(modelPath: String?, threshold: Double, routerThreshold: Double? = nil) throws {
        model = try modelPath.map { try HotlineModel.load(from: URL(fileURLWithPath: $0)) } ?? Self.bundledModel.get()
        self.threshold = threshold
        let bundled = try Self.bundledRouter.get()
        router = routerThreshold.map { bundled.with(threshold: $0) } ?? bundled
    }

    /// The triage engine over `reference`'s taxonomy and regions, with the bundled router: its suggestion
    /// (``HotlineTriageResult/route``) is computed for the dispatcher to prefer.
    func triage(for reference: CityReference) -> HotlineTriage {
        HotlineTriage(
            model: model, rules: CategoryRules(taxonomy: reference.taxonomy),
            places: PlaceExtractor(hierarchy: reference.hierarchy), threshold: threshold, router: router)
    }
}

extension Application {
    private struct HotlineKey: StorageKey {
        typealias Value = NIOLockedValueBox<(setup: HotlineSetup, triage: HotlineTriage)>
    }

    /// Installs the hotline engine over the current reference data.
    func installHotline(_ setup: HotlineSetup) {
        storage[HotlineKey.self] = NIOLockedValueBox((setup, setup.triage(for: reference)))
    }

    /// The triage engine in force.
    var hotlineTriage: HotlineTriage {
        guard let box = storage[HotlineKey.self] else { fatalError("hotline used before configure(_:) installed it") }
        return box.withLockedValue { $0.triage }
    }

    /// Rebuilds the engine's rules and place names after the reference data changed.
    func refreshHotline() {
        storage[HotlineKey.self]?.withLockedValue { $0.triage = $0.setup.triage(for: reference) }
    }
}
