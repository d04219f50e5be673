/// The responsibility chosen for one case, and what chose it.
public struct ResponsibilityChoice: Hashable, Sendable {
    /// Who is responsible: kind, level, territorial.
    public var responsibility: Responsibility
    /// The rule or signal that chose it.
    public var basis: DispatchBasis
    /// A learned preference that was offered but not used: an urgent or fixed-units category that does not list
    /// its kind, or a phrase rule decided first; nil otherwise.
    public var unusedPreference: DispatchPreference?
}

/// Chooses between a category's usual responsibility and its alternatives (``ResponsibilityAlternative``).
///
/// Order: (1) the first alternative, in taxonomy order, one of whose `when` phrases occurs in the text; (2) a learned
/// preference whose kind the category allows (``Category/allowedKinds``): the usual responsibility when it names
/// the usual kind (or the street office, for a territorial category, which already passes the street centre), else the first alternative of that kind, else (operations centre) the street/town centre;
/// (3) a learned preference of a kind the category does not list, unless the category is urgent or
/// ``Category/fixedUnits``: that kind at the preference's level (the operations centre: the street/town centre,
/// territorially). The router is trained on the units that really acted and already weighs the category's rules
/// (issue 10 §2); urgent and fixed categories (fire lane, bridge ice, burst main, fire hazard, open manhole,
/// ponding …) keep the taxonomy's units, whose crews are the ones that must move now;
/// (4) the usual responsibility. Rules are data in `categories.json`; this is their one evaluator.
public enum ResponsibilityRules {
    /// The responsibility for a case of `category`.
    /// - Parameters:
    ///   - category: a dispatchable category.
    ///   - text: the case's text, normalised as the taxonomy's phrases are written (simplified script, half-width:
    ///     the hotline's `TextNormalizer`); nil or empty when there is none.
    ///   - preference: a learned router's preferred kind, if any.
    /// - Returns: the choice, or nil when the category has no responsibility (a grouping node).
    public static func choose(_ category: Category, text: String?, preference: DispatchPreference?)
        -> ResponsibilityChoice?
    {
        guard let usual = category.responsibility else { return nil }
        if let text, !text.isEmpty {
            for alternative in category.alternatives {
                if let phrase = alternative.when.first(where: { !$0.isEmpty && text.contains($0) }) {
                    return ResponsibilityChoice(
                        responsibility: alternative.responsibility,
                        basis: .phrase(code: category.code, alternative: alternative.id, phrase: phrase),
                        unusedPreference: preference.flatMap { $0.kind == alternative.responsibleKind ? nil : $0 })
                }
            }
        }
        if let preference, category.allowedKinds.contains(preference.kind) {
            // A territorial category already goes through the street/town centre: a router that names the street
            // office agrees with it, and the street's own unit still acts (the seed's fire lane: 北蔡镇 → 派出所).
            if preference.kind == usual.kind || (usual.territorial && preference.kind == .operationsCentre) {
                return ResponsibilityChoice(
                    responsibility: usual, basis: .category(code: category.code), unusedPreference: nil)
            }
            let learned = { (alternative: String?) in
                DispatchBasis.learned(
                    code: category.code, kind: preference.kind, source: preference.source, alternative: alternative)
            }
            if let alternative = category.alternatives.first(where: { $0.responsibleKind == preference.kind }) {
                return ResponsibilityChoice(
                    responsibility: alternative.responsibility, basis: learned(alternative.id), unusedPreference: nil)
            }
            return ResponsibilityChoice(responsibility: .streetCentre, basis: learned(nil), unusedPreference: nil)
        }
        if let preference, category.priority != .urgent, !category.fixedUnits {
            let responsibility =
                preference.kind == .operationsCentre
                ? .streetCentre : Responsibility(kind: preference.kind, level: preference.level ?? .district)
            return ResponsibilityChoice(
                responsibility: responsibility,
                basis: .learnedOutside(code: category.code, kind: preference.kind, source: preference.source),
                unusedPreference: nil)
        }
        return ResponsibilityChoice(
            responsibility: usual, basis: .category(code: category.code), unusedPreference: preference)
    }
}

extension Responsibility {
    /// The street/town operations centre of the place, territorially: where a learned `street_office` sends a case.
    static let streetCentre = Responsibility(kind: .operationsCentre, level: .street, territorial: true)
}
