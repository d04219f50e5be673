import CityDomain
import Foundation

/// Names the console gives to things the Hotline module says in Chinese only: the classifier's themes (the Teddy
/// Cup corpus's 15 level-1 labels, `Sources/Hotline/Resources/theme-taxonomy-terms.csv`) and the router's evidence.
extension ConsoleText {
    /// Each theme label (the corpus's own Chinese name, as the model returns it) with its English name.
    static let themeNames: [String: String] = [
        "交通运输": "Transport",
        "党务政务": "Party and government affairs",
        "农村农业": "Rural affairs and agriculture",
        "劳动和社会保障": "Labour and social security",
        "卫生计生": "Health and family planning",
        "商贸旅游": "Commerce and tourism",
        "国土资源": "Land and resources",
        "城乡建设": "Urban and rural construction",
        "政法": "Politics and law",
        "教育文体": "Education, culture and sport",
        "民政": "Civil affairs",
        "环境保护": "Environmental protection",
        "科技与信息产业": "Science, technology and IT",
        "纪检监察": "Discipline inspection",
        "经济管理": "Economic management",
    ]

    /// The theme `label` in `language`: the label itself in Chinese, its English name in English (the label for
    /// one the table does not know).
    static func themeName(_ label: String, _ language: Language) -> String {
        language == .zh ? label : themeNames[label] ?? label
    }
}

extension ConsoleText {
    /// The router's evidence as the record keeps it (``Hotline/RouteEvidence/description``: `rule noise.construction
    /// (工地→noise.construction, 施工→…)` or `learned 工地 施工 …`) for a page in `language`: what decided it in our
    /// words (`route.rule` with the category named, `route.learned`), and the citizen's words it rests on (the
    /// triggers before their arrows, or the text model's fragments), shown as typed and marked as their own words.
    /// Evidence in another form is returned whole as the citizen's words' side, with nothing of ours.
    static func routeEvidence(_ stored: String, _ language: Language, reference: CityReference)
        -> (ours: String, own: String)
    {
        let separator = language == .zh ? "、" : ", "
        if let match = stored.wholeMatch(of: /rule ([a-z0-9_.]+)(?: \((.*)\))?/) {
            let triggers = (match.2.map(String.init) ?? "").split(separator: ", ").map { trigger in
                String(trigger.split(separator: "→").first ?? "").replacingOccurrences(of: "negated ", with: "")
            }
            let ours = Message("route.rule", ["category": String(match.1)]).text(language, reference: reference)
            return (ours, triggers.filter { !$0.isEmpty }.joined(separator: separator))
        }
        if stored.hasPrefix("learned ") {
            let features = stored.dropFirst("learned ".count).split(separator: " ").map(String.init)
            return (Message("route.learned").text(language), features.joined(separator: separator))
        }
        return ("", stored)
    }
}
