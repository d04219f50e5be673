import CityDomain
import Foundation

/// A sentence of CityNet's message catalogue (``MessageCatalogue``): a code and named parameters. Refusals and the
/// notes the system writes on events keep it as such (stored events as ``MessageNote``), and it is worded in the
/// reader's language only when shown, so a Chinese page never shows an English system sentence nor the reverse.
struct Message: Codable, Equatable, Sendable {
    /// A key of ``MessageCatalogue/entries``, e.g. `case.note_required`.
    var code: String
    /// The values of the sentence's `{name}` placeholders.
    var params: [String: String]

    init(_ code: String, _ params: [String: String] = [:]) {
        self.code = code
        self.params = params
    }

    /// The sentence in `language`, each `{name}` replaced by its parameter. With `reference` (pages), a parameter
    /// whose name starts with `unit`, `category`, `region`, `state`, `action` or `role` (a code, or codes joined by
    /// commas) is shown by its name in `language`, as is one starting with `role` or `field` (the catalogue's
    /// `role.<code>`, `field.<code>`); without it (the API's
    /// English reasons) and for any other parameter, the value as given. An unknown code shows as the code itself.
    func text(_ language: DisplayLanguage, reference: CityReference? = nil) -> String {
        guard let template = MessageCatalogue.template(code, language) else { return code }
        var text = template
        for (name, value) in params {
            text = text.replacingOccurrences(of: "{\(name)}", with: Self.shown(name, value, language, reference))
        }
        return text
    }

    private static func shown(_ name: String, _ value: String, _ language: DisplayLanguage, _ reference: CityReference?)
        -> String
    {
        // Without a reference (the API's English reasons) every code stays a code, as API clients read them.
        guard let reference else { return value }
        let named: (String) -> String
        if name.hasPrefix("action") {
            named = { ConsoleText.actionName($0, language) }
        } else if name.hasPrefix("role") || name.hasPrefix("field") {
            named = { MessageCatalogue.template("\(name).\($0)", language) ?? $0 }
        } else if name.hasPrefix("state") {
            named = { CaseState.name(of: $0, in: language) }
        } else if name.hasPrefix("unit") {
            named = { reference.unitName($0, in: language) }
        } else if name.hasPrefix("category") {
            named = { reference.categoryName($0, in: language) }
        } else if name.hasPrefix("region") {
            named = { reference.regionName($0, in: language) }
        } else {
            return value
        }
        return value.split(separator: ",").map { named(String($0)) }.joined(separator: language == .zh ? "、" : ", ")
    }
}
