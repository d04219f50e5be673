import Foundation

/// Finds loaded road names in text, longest match first, the way ``CityDomain/RegionGazetteer`` finds regions.
struct RoadIndex: Sendable {
    private let codesByName: [String: [String]]
    private let lengthsByFirstCharacter: [Character: [Int]]

    /// Indexes roads; names are folded like message text, names under 2 characters and unknown codes are dropped.
    init(roads: [RoadName], isKnown: (String) -> Bool) {
        var index: [String: [String]] = [:]
        for road in roads {
            let name = String(RuleText.normalize(road.name)).trimmingCharacters(in: .whitespaces)
            guard name.count >= 2 else { continue }
            for code in road.regionCodes where isKnown(code) && !(index[name]?.contains(code) ?? false) {
                index[name, default: []].append(code)
            }
        }
        codesByName = index.mapValues { $0.sorted() }
        var lengths: [Character: Set<Int>] = [:]
        for name in index.keys { lengths[name.first!, default: []].insert(name.count) }
        lengthsByFirstCharacter = lengths.mapValues { $0.sorted(by: >) }
    }

    /// Non-overlapping road names in reading order.
    func matches(in characters: [Character]) -> [PlaceMention] {
        guard !codesByName.isEmpty else { return [] }
        var found: [PlaceMention] = []
        var position = 0
        scan: while position < characters.count {
            for length in lengthsByFirstCharacter[characters[position]] ?? []
            where length <= characters.count - position {
                let candidate = String(characters[position..<(position + length)])
                if let codes = codesByName[candidate] {
                    found.append(PlaceMention(text: candidate, codes: codes, offset: position, isRoad: true))
                    position += length
                    continue scan
                }
            }
            position += 1
        }
        return found
    }
}
