import Foundation

/// A bundle (一件事) as data: the service items of one life event, the order they depend on each other, which
/// licence one item issues as the input material of another, and the form fields the items share.
///
/// Decoded from `Resources/govservices/bundles.json` (snake_case keys) and checked against the service catalogue
/// by ``BundlePlan/init(_:catalogue:)``. Anchor: 国办发〔2024〕3号 (高效办成一件事 key list: 出生, 开办餐饮店,
/// 身后 among them); the items and dependencies are CityNet's model of them.
public struct BundleDefinition: Codable, Hashable, Sendable {
    /// One leg: a catalogue item, and the items it must wait for besides those that feed it a licence.
    public struct Leg: Codable, Hashable, Sendable {
        /// A catalogue item code (``ServiceItem/code``).
        public var item: String
        /// Items of the same bundle that must be approved before this leg is submitted (order only, no licence).
        public var after: [String]

        public init(item: String, after: [String] = []) {
            self.item = item
            self.after = after
        }
    }

    /// The licence item `from` produces (``ServiceItem/produces``) is material `material` of item `to`: `to` waits
    /// for `from`'s approval and gets the licence attached without an upload.
    public struct Feed: Codable, Hashable, Sendable {
        public var from: String
        public var to: String
        public var material: String

        public init(from: String, to: String, material: String) {
            self.from = from
            self.to = to
            self.material = material
        }
    }

    /// A field of the one form that every leg of the bundle is prefilled from (the child's name, the shop's
    /// address).
    public struct SharedField: Codable, Hashable, Sendable {
        public var code: String
        public var nameZh: String
        public var nameEn: String
        public var required: Bool

        public init(code: String, nameZh: String, nameEn: String, required: Bool) {
            self.code = code
            self.nameZh = nameZh
            self.nameEn = nameEn
            self.required = required
        }
    }

    /// Stable code, e.g. `newborn`.
    public var code: String
    public var nameZh: String
    public var nameEn: String
    /// The catalogue's life event (``ServiceCatalogue/LifeEvent/code``) the bundle serves.
    public var lifeEvent: String
    /// Where the bundle's shape comes from.
    public var source: String
    public var legs: [Leg]
    public var feeds: [Feed]
    public var sharedFields: [SharedField]

    public init(
        code: String, nameZh: String, nameEn: String, lifeEvent: String, source: String, legs: [Leg], feeds: [Feed],
        sharedFields: [SharedField]
    ) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.lifeEvent = lifeEvent
        self.source = source
        self.legs = legs
        self.feeds = feeds
        self.sharedFields = sharedFields
    }
}
