import CityDomain
import Hotline

/// Rules built once from the bundled taxonomy (parsing the JSON on every test would be wasteful).
enum RulesFixture {
    static let taxonomy: CategoryTaxonomy = try! CategoryTaxonomy.bundledDefault()
    static let rules = CategoryRules(taxonomy: taxonomy)

    /// Matches with no theme prior.
    static func best(_ text: String) -> String? { rules.match(text, themeScores: []).best }
}
