import CityDomain
import Vapor

/// What the government-services network needs at run time: the catalogue, the identity vault, the notifier and the
/// rectification limit.
struct GovServicesContext: Sendable {
    let catalogue: ServiceCatalogue
    /// The bundles (一件事) over ``catalogue``.
    let bundles: BundleCatalogue
    let vault: IdentityVault
    let notifier: any GovNotifier
    /// Working days a department has to rectify a bad rating (`CITYNET_RECTIFICATION_DAYS`, default 5).
    let rectificationDays: Int
    /// The e-licence keys (``LicenceKeyRing/load(config:logger:)``); tests replace them to rotate.
    var licenceKeys: LicenceKeyRing

    /// Issues licences with the current key and the catalogue's kinds.
    var licenceIssuer: LicenceIssuer { LicenceIssuer(keys: licenceKeys, kinds: catalogue.licenceKinds) }

    /// Releases waiting bundle legs when a leg is approved.
    var bundleReleaser: BundleReleaser { BundleReleaser(bundles: bundles, catalogue: catalogue) }
}

extension Application {
    private struct GovServicesKey: StorageKey { typealias Value = GovServicesContext }

    var govServices: GovServicesContext {
        get { storage.required(GovServicesKey.self) }
        set { storage[GovServicesKey.self] = newValue }
    }

    /// Loads the bundled catalogue and the identity key, and installs the outbox notifier.
    func installGovServices(config: AppConfig) throws {
        govServices = GovServicesContext(
            catalogue: try ServiceCatalogue.bundled(), bundles: try BundleCatalogue.bundled(),
            vault: IdentityVault(master: try IdentityVault.masterKey(config: config, logger: logger)),
            notifier: OutboxNotifier(), rectificationDays: config.rectificationDays,
            licenceKeys: try LicenceKeyRing.load(config: config, logger: logger))
    }
}

extension Request {
    var govServices: GovServicesContext { application.govServices }
}
