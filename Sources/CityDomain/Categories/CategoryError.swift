import Foundation

/// Why a category taxonomy is invalid or could not be read.
public enum CategoryError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A code that does not match `[a-z0-9_.]{1,64}`.
    case invalidCode(String)
    /// Two categories share a code.
    case duplicateCode(String)
    /// A category names a parent that is not in the taxonomy.
    case unknownParent(code: String, parentCode: String)
    /// Following parents from this category comes back to it (the codes on the loop, in order).
    case cycle([String])
    /// A category without children that cannot be dispatched (no responsible kind or no limits).
    case leafNotDispatchable(String)
    /// A responsible kind without a responsible level, or the other way round.
    case incompleteResponsibility(String)
    /// A time limit that is not positive.
    case nonPositiveLimit(code: String, step: String, value: Int)
    /// An empty Chinese or English name.
    case emptyName(code: String)
    /// The JSON could not be decoded (the decoder's message).
    case invalidJSON(String)
    /// A territorial category or alternative whose level is not `street`.
    case territorialNotStreet(String)
    /// An alternative with an invalid or repeated id, or on a category without a responsibility of its own.
    case invalidAlternative(code: String, id: String)

    public var description: String {
        switch self {
        case .invalidCode(let code):
            "Category code \"\(code)\" is invalid: use 1 to 64 characters of a-z, 0-9, '_' and '.'."
        case .duplicateCode(let code):
            "Category code \(code) appears more than once."
        case .unknownParent(let code, let parent):
            "Category \(code) names parent \(parent), which is not in the taxonomy."
        case .cycle(let codes):
            "Categories form a parent cycle: \((codes + [codes.first ?? ""]).joined(separator: " -> "))."
        case .leafNotDispatchable(let code):
            "Category \(code) has no children but is not dispatchable: it needs a responsible kind and limits."
        case .incompleteResponsibility(let code):
            "Category \(code) must give both responsible_kind and responsible_level, or neither."
        case .nonPositiveLimit(let code, let step, let value):
            "Category \(code): the \(step) limit is \(value); limits must be positive."
        case .emptyName(let code):
            "Category \(code) has an empty Chinese or English name."
        case .invalidJSON(let message):
            "Category JSON could not be decoded: \(message)"
        case .territorialNotStreet(let code):
            "Category \(code): a territorial (属地) responsibility belongs to the street/town: its level must be street."
        case .invalidAlternative(let code, let id):
            "Category \(code): alternative \"\(id)\" needs an id of 1 to 32 characters of a-z, 0-9 and '_', unique in the "
                + "category, and the category must name its own responsible kind and level."
        }
    }
}
