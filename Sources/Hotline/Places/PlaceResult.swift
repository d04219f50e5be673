import Foundation

/// A place name found in a message.
public struct PlaceMention: Sendable, Equatable, Hashable {
    /// The name as written (after width and case folding), e.g. `北蔡`, `莲溪路`.
    public var text: String
    /// Every region the name can mean, ordered by code: one for 北蔡, two for 虹桥, a road's regions.
    public var codes: [String]
    /// Offset of the first character in the folded text, in `Character`s.
    public var offset: Int
    /// Whether the name came from the loaded road list rather than the region gazetteer.
    public var isRoad: Bool

    /// Creates a mention.
    public init(text: String, codes: [String], offset: Int, isRoad: Bool) {
        self.text = text
        self.codes = codes
        self.offset = offset
        self.isRoad = isRoad
    }
}

/// The outcome of ``PlaceExtractor/extract(_:)``.
public struct PlaceResult: Sendable, Equatable {
    /// The deepest region every mention agrees on, or `nil` when nothing was named, the names conflict, or the only
    /// common region is the whole city: the case then stays with the centre that received it.
    public var regionCode: String?
    /// Regions an operator should choose between when the text is ambiguous (虹桥 alone) or conflicting (two
    /// districts), ordered by code; empty when ``regionCode`` is certain or nothing was named.
    public var candidates: [String]
    /// Every place name found, in reading order.
    public var mentions: [PlaceMention]

    /// Creates a result.
    public init(regionCode: String?, candidates: [String], mentions: [PlaceMention]) {
        self.regionCode = regionCode
        self.candidates = candidates
        self.mentions = mentions
    }
}
