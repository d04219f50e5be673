import Foundation

/// A validated tree of regions (city → district → street/town → grid) with constant-time look-ups.
///
/// Built once and shared: all queries are pure and the type is `Sendable`.
public struct RegionHierarchy: Sendable {
    private let byCode: [String: Region]
    private let childCodes: [String: [String]]
    private let ordered: [Region]
    private let rootCode: String

    /// Validates and indexes regions.
    /// - Parameter regions: every region, in any order.
    /// - Throws: ``RegionError`` when a code or name is empty, a code repeats, a parent is missing, there is not
    ///   exactly one root, or a region is not deeper than its parent.
    public init(regions: [Region]) throws {
        var byCode: [String: Region] = [:]
        byCode.reserveCapacity(regions.count)
        for region in regions {
            if region.code.isEmpty { throw RegionError.emptyField(code: "", field: "code") }
            if region.nameZh.isEmpty { throw RegionError.emptyField(code: region.code, field: "nameZh") }
            if byCode.updateValue(region, forKey: region.code) != nil { throw RegionError.duplicateCode(region.code) }
        }
        let roots = regions.filter { $0.parentCode == nil }.map(\.code)
        guard let root = roots.first else { throw RegionError.noRoot }
        guard roots.count == 1 else { throw RegionError.multipleRoots(roots) }
        var children: [String: [String]] = [:]
        for region in regions {
            guard let parentCode = region.parentCode else { continue }
            guard let parent = byCode[parentCode] else {
                throw RegionError.unknownParent(code: region.code, parentCode: parentCode)
            }
            guard region.level > parent.level else {
                throw RegionError.levelNotDeeper(
                    code: region.code, level: region.level, parentCode: parentCode, parentLevel: parent.level)
            }
            children[parentCode, default: []].append(region.code)
        }
        for key in children.keys { children[key]?.sort() }
        // Levels strictly deepen and there is one root, so every region reaches the root: no cycles are possible.
        self.byCode = byCode
        self.childCodes = children
        self.rootCode = root
        self.ordered = regions.sorted { ($0.level, $0.code) < ($1.level, $1.code) }
    }

    /// The region with this code, or `nil`.
    public subscript(code: String) -> Region? { byCode[code] }

    /// Every region in a stable order: by level (city, districts, streets, grid cells), then by code.
    public var all: [Region] { ordered }

    /// The single region without a parent (上海市 for ``shanghai()``).
    public var root: Region { byCode[rootCode]! }

    /// Number of regions.
    public var count: Int { byCode.count }

    /// Regions at one level, ordered by code.
    public func regions(at level: RegionLevel) -> [Region] { all.filter { $0.level == level } }

    /// Direct children of a region, ordered by code; empty for an unknown code or a leaf.
    public func children(of code: String) -> [Region] { (childCodes[code] ?? []).map { byCode[$0]! } }

    /// The region itself first, then its parent, and so on up to the root; empty for an unknown code.
    public func ancestors(of code: String) -> [Region] {
        var chain: [Region] = []
        var next: String? = code
        while let current = next, let region = byCode[current] {
            chain.append(region)
            next = region.parentCode
        }
        return chain
    }

    /// The region at `level` on the path from `code` to the root (the region itself if it is at that level);
    /// `nil` when the code is unknown or the region is shallower than `level`.
    public func ancestor(of code: String, at level: RegionLevel) -> Region? {
        ancestors(of: code).first { $0.level == level }
    }

    /// The codes of `code` and every region below it (any order); empty for an unknown code.
    public func subtree(of code: String) -> [String] {
        guard byCode[code] != nil else { return [] }
        var codes: [String] = []
        var pending = [code]
        while let next = pending.popLast() {
            codes.append(next)
            pending.append(contentsOf: childCodes[next] ?? [])
        }
        return codes
    }

    /// Whether `code` lies inside `ancestor` (true for the same code); false when either code is unknown.
    public func isWithin(_ code: String, ancestor: String) -> Bool {
        guard byCode[ancestor] != nil else { return false }
        return ancestors(of: code).contains { $0.code == ancestor }
    }

    /// The deepest region that contains every given code, or `nil` when the list is empty or a code is unknown.
    public func commonAncestor(of codes: [String]) -> Region? {
        guard let first = codes.first, byCode[first] != nil else { return nil }
        var chain = ancestors(of: first)
        for code in codes.dropFirst() {
            let others = Set(ancestors(of: code).map(\.code))
            if others.isEmpty { return nil }
            chain = chain.filter { others.contains($0.code) }
        }
        return chain.first
    }

    /// A new hierarchy with more regions added (grid cells imported later, say).
    /// - Parameter regions: new regions; their parents may be existing regions or other new ones.
    /// - Throws: ``RegionError`` as ``init(regions:)`` does, e.g. ``RegionError/duplicateCode(_:)`` when a code
    ///   already exists.
    public func adding(_ regions: [Region]) throws -> RegionHierarchy {
        try RegionHierarchy(regions: all + regions)
    }
}
