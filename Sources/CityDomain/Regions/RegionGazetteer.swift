import Foundation

/// Finds region names (full names and short forms) in free Chinese text, longest match first.
///
/// The text is scanned left to right; at each position the longest known name wins and its characters are
/// consumed, so 南京东路街道 is one match (not 南京东路 plus 街道) and 北外滩 does not also yield 外滩.
public struct RegionGazetteer: Sendable {
    /// One name found in a text.
    public struct Match: Hashable, Sendable {
        /// The name as written, e.g. `虹桥`.
        public var name: String
        /// Every region bearing that name (full or short), ordered by code: two for 虹桥.
        public var codes: [String]
        /// Offset of the first character of the match, in `Character`s from the start of the text.
        public var offset: Int
    }

    private let codesByName: [String: [String]]
    /// For each first character, the lengths of names starting with it, longest first: most positions of a text
    /// start no name and cost one look-up.
    private let lengthsByFirstCharacter: [Character: [Int]]

    /// Indexes the names of every region in the hierarchy (names shorter than 2 characters are skipped).
    public init(hierarchy: RegionHierarchy) {
        var index: [String: [String]] = [:]
        for region in hierarchy.all {
            for name in region.allNames where name.count >= 2 {
                if !(index[name]?.contains(region.code) ?? false) { index[name, default: []].append(region.code) }
            }
        }
        codesByName = index.mapValues { $0.sorted() }
        var lengths: [Character: Set<Int>] = [:]
        for name in index.keys { lengths[name.first!, default: []].insert(name.count) }
        lengthsByFirstCharacter = lengths.mapValues { $0.sorted(by: >) }
    }

    /// Regions bearing exactly this name (full or short form), ordered by code.
    public func codes(named name: String) -> [String] { codesByName[name] ?? [] }

    /// Every non-overlapping name in the text, in reading order, longest match first at each position.
    public func matches(in text: String) -> [Match] {
        let characters = Array(text)
        var found: [Match] = []
        var position = 0
        scan: while position < characters.count {
            for length in lengthsByFirstCharacter[characters[position]] ?? []
            where length <= characters.count - position {
                let candidate = String(characters[position..<(position + length)])
                if let codes = codesByName[candidate] {
                    found.append(Match(name: candidate, codes: codes, offset: position))
                    position += length
                    continue scan
                }
            }
            position += 1
        }
        return found
    }
}
