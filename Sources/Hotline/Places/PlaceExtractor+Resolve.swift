import CityDomain
import Foundation

extension PlaceExtractor {
    /// The deepest consistent region and the operator's candidates for a list of mentions (rules in
    /// ``PlaceExtractor``).
    func resolve(_ mentions: [PlaceMention]) -> (regionCode: String?, candidates: [String]) {
        let rootCode = hierarchy.root.code
        let codeSets = mentions.map { $0.codes.filter { $0 != rootCode && hierarchy[$0] != nil } }.filter {
            !$0.isEmpty
        }
        let isDistrictOnly: ([String]) -> Bool = { $0.allSatisfy { self.hierarchy[$0]?.level == .district } }
        // District-only mentions (区 names, roads listed by district) narrow each other: 长宁区 + 虹桥路 (徐汇, 长宁)
        // is 长宁; disjoint ones (浦东新区和闵行区) all stay and conflict.
        let districtSets = codeSets.filter(isDistrictOnly)
        let shared = districtSets.dropFirst().reduce(Set(districtSets.first ?? [])) { $0.intersection($1) }
        let districts = shared.isEmpty ? Array(Set(districtSets.joined())).sorted() : shared.sorted()
        var conflict = false
        let deeper: [[String]] = codeSets.filter { !isDistrictOnly($0) }.map { codes in
            guard !districts.isEmpty else { return codes }
            let inside = codes.filter { code in districts.contains { hierarchy.isWithin(code, ancestor: $0) } }
            if inside.isEmpty { conflict = true }
            return inside.isEmpty ? codes : inside
        }
        guard !deeper.isEmpty else {
            if districts.count == 1 { return (districts[0], []) }
            let common = hierarchy.commonAncestor(of: districts)
            return (common.flatMap { $0.level > hierarchy.root.level ? $0.code : nil }, districts)
        }
        let union = deeper.reduce(into: [String]()) { all, codes in
            for code in codes where !all.contains(code) { all.append(code) }
        }
        let related: (String, String) -> Bool = {
            self.hierarchy.isWithin($0, ancestor: $1) || self.hierarchy.isWithin($1, ancestor: $0)
        }
        let consistent = union.filter { code in deeper.allSatisfy { set in set.contains { related(code, $0) } } }
        var kept: [String]
        if consistent.isEmpty {
            conflict = true
            kept = union
        } else {
            // The deepest: drop a region when another kept one lies inside it.
            kept = consistent.filter { code in
                !consistent.contains { $0 != code && hierarchy.isWithin($0, ancestor: code) }
            }
        }
        if conflict { kept += districts.filter { district in !kept.contains { related($0, district) } } }
        kept = Array(Set(kept)).sorted()
        if kept.count == 1 { return (kept[0], []) }
        let common = hierarchy.commonAncestor(of: kept)
        let region = common.flatMap { $0.level > hierarchy.root.level ? $0.code : nil }
        return (region, kept)
    }
}
