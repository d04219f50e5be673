import CityDomain
import Foundation
import Hotline

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
    /// The router's evidence for a page in `language`: what decided it in our words (`route.rule` with the category
    /// named, `route.learned`), and the citizen's words it rests on (``Hotline/RouteEvidence/citizenWords``), shown
    /// as typed and marked as their own words. A record written before ``HotlineTriageRecord/Route/evidenceMessage``
    /// is read from its stored ``HotlineTriageRecord/Route/evidence`` (``Hotline/RouteEvidence/init(recorded:)``);
    /// evidence in another form is returned whole as the citizen's words' side, with nothing of ours.
    static func routeEvidence(_ route: HotlineTriageRecord.Route, _ language: Language, reference: CityReference)
        -> (ours: String, own: String)
    {
        let recorded = RouteEvidence(recorded: route.evidence)
        guard let message = route.evidenceMessage ?? recorded?.message else { return ("", route.evidence) }
        let words = route.evidenceWords ?? recorded?.citizenWords ?? []
        return (message.text(language, reference: reference), words.joined(separator: language.listSeparator))
    }
}
