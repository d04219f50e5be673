import Foundation

/// A validated tree of case categories, looked up by code.
public struct CategoryTaxonomy: Sendable {
    private let ordered: [Category]
    private let byCode: [String: Category]
    private let childCodes: [String: [String]]

    /// Validates and indexes categories.
    /// - Parameter categories: every category, in display order (kept by ``all``).
    /// - Throws: ``CategoryError``: a code not matching `[a-z0-9_.]{1,64}`, a repeated code, an empty name, a
    ///   missing parent, a parent cycle, a kind without a level (or the reverse), a territorial responsibility not
    ///   at street level, an alternative with a bad or repeated id, a non-positive limit, or a leaf that is not
    ///   dispatchable.
    public init(categories: [Category]) throws {
        var byCode: [String: Category] = [:]
        for category in categories {
            guard Self.isValidCode(category.code) else { throw CategoryError.invalidCode(category.code) }
            guard byCode.updateValue(category, forKey: category.code) == nil else {
                throw CategoryError.duplicateCode(category.code)
            }
            guard !category.nameZh.isEmpty, !category.nameEn.isEmpty else {
                throw CategoryError.emptyName(code: category.code)
            }
            guard (category.responsibleKind == nil) == (category.responsibleLevel == nil) else {
                throw CategoryError.incompleteResponsibility(category.code)
            }
            try Self.checkResponsibility(category)
            for (step, limit) in category.limits?.named ?? [] where limit.value <= 0 {
                throw CategoryError.nonPositiveLimit(code: category.code, step: step, value: limit.value)
            }
        }
        var children: [String: [String]] = [:]
        for category in categories {
            guard let parent = category.parentCode else { continue }
            guard byCode[parent] != nil else {
                throw CategoryError.unknownParent(code: category.code, parentCode: parent)
            }
            children[parent, default: []].append(category.code)
        }
        for category in categories {
            var path: [String] = [category.code]
            var next = category.parentCode
            while let code = next {
                if let start = path.firstIndex(of: code) { throw CategoryError.cycle(Array(path[start...])) }
                path.append(code)
                next = byCode[code]?.parentCode
            }
        }
        for category in categories where children[category.code] == nil && !category.dispatchable {
            throw CategoryError.leafNotDispatchable(category.code)
        }
        self.ordered = categories
        self.byCode = byCode
        self.childCodes = children
    }

    /// A territorial responsibility sits at the street; alternatives have valid, unique ids and back a category that
    /// has a responsibility of its own.
    private static func checkResponsibility(_ category: Category) throws(CategoryError) {
        if category.territorial, category.responsibleLevel != .street {
            throw .territorialNotStreet(category.code)
        }
        var ids: Set<String> = []
        for alternative in category.alternatives {
            guard ResponsibilityAlternative.isValidID(alternative.id), ids.insert(alternative.id).inserted,
                category.responsibleKind != nil
            else { throw .invalidAlternative(code: category.code, id: alternative.id) }
            if alternative.territorial, alternative.responsibleLevel != .street {
                throw .territorialNotStreet(category.code)
            }
        }
    }

    /// Whether a code matches `[a-z0-9_.]{1,64}`.
    public static func isValidCode(_ code: String) -> Bool {
        (1...64).contains(code.utf8.count)
            && code.utf8.allSatisfy {
                (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F || $0 == 0x2E
            }
    }

    /// The category with this code, or `nil`.
    public subscript(code: String) -> Category? { byCode[code] }

    /// Every category in the order given.
    public var all: [Category] { ordered }

    /// Categories without a parent, in the order given.
    public var roots: [Category] { ordered.filter { $0.parentCode == nil } }

    /// Direct children of a category, in the order given; empty for a leaf or an unknown code.
    public func children(of code: String) -> [Category] { (childCodes[code] ?? []).compactMap { byCode[$0] } }

    /// Categories that cases can be filed under, in the order given.
    public var dispatchable: [Category] { ordered.filter(\.dispatchable) }
}
