/// What chose a case's responsibility (and so its unit): the category's usual rule, one of its alternatives selected
/// by a phrase in the text, or a learned router's preferred kind.
public enum DispatchBasis: Codable, Hashable, Sendable {
    /// The category's usual responsibility (`responsible_kind`, `responsible_level`, `territorial`).
    case category(code: String)
    /// Alternative `alternative` of category `code`, selected because the text contains `phrase`.
    case phrase(code: String, alternative: String, phrase: String)
    /// A learned router's preferred kind, allowed by the category; `alternative` is the alternative it selected (nil
    /// when it selected the street/town centre of a territorial category).
    case learned(code: String, kind: UnitKind, source: String, alternative: String?)
    /// A learned router's preferred kind that category `code` does not list, used because the category is neither
    /// urgent nor fixed-units (``ResponsibilityRules``).
    case learnedOutside(code: String, kind: UnitKind, source: String)

    /// The stored form, e.g. `category:parking.fire_lane`, `phrase:noise.construction#environment:环保`,
    /// `learned:router:eco_environment:noise.construction#environment`,
    /// `learned-outside:router:operations_centre:noise.construction`.
    public var code: String {
        switch self {
        case .category(let code): "category:\(code)"
        case .phrase(let code, let alternative, let phrase): "phrase:\(code)#\(alternative):\(phrase)"
        case .learned(let code, let kind, let source, let alternative):
            "learned:\(source):\(kind.rawValue):\(code)" + (alternative.map { "#\($0)" } ?? "")
        case .learnedOutside(let code, let kind, let source): "learned-outside:\(source):\(kind.rawValue):\(code)"
        }
    }

    /// A Chinese sentence naming the rule or signal, e.g. `按「建筑施工噪声」的备选规则 environment（文本含「环保」）`.
    func describeZh(_ category: Category) -> String {
        switch self {
        case .category: "按「\(category.nameZh)」的类别规则"
        case .phrase(_, let alternative, let phrase): "按「\(category.nameZh)」的备选规则 \(alternative)（文本含「\(phrase)」）"
        case .learned(_, let kind, let source, _): "按学习所得的派遣信号（\(source)：\(kind.nameZh)），类别允许"
        case .learnedOutside(_, let kind, let source): "按学习所得的派遣信号（\(source)：\(kind.nameZh)），类别未列出此类单位、可由学习信号选择"
        }
    }

    /// An English sentence naming the rule or signal.
    func describeEn(_ category: Category) -> String {
        switch self {
        case .category: "by the rule of \"\(category.nameEn)\""
        case .phrase(_, let alternative, let phrase):
            "by alternative \(alternative) of \"\(category.nameEn)\" (the text says \"\(phrase)\")"
        case .learned(_, let kind, let source, _):
            "by the learned signal \(source) (\(kind.nameEn)), which the category allows"
        case .learnedOutside(_, let kind, let source):
            "by the learned signal \(source) (\(kind.nameEn)), a kind the category does not list (it lets the router choose)"
        }
    }
}
