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
    /// `role.<code>`, `field.<code>`) or `term` (``ConsoleText/term(_:_:)``: channels, locating methods), one starting with `when` (an ISO 8601
    /// instant) in Beijing time; a pair
    /// `x_zh` / `x_en` fills `{x}` with the text of the language, and a parameter starting with `phrase` (a catalogue
    /// code, e.g. `phrase.int`) with that entry in `language`, with or without `reference`; without it (the API's
    /// English reasons) and for any other parameter, the value as given. An unknown code shows as the code itself.
    func text(_ language: DisplayLanguage, reference: CityReference? = nil) -> String {
        guard let template = MessageCatalogue.template(code, language) else { return code }
        var text = template
        let suffix = "_" + language.rawValue
        for (name, value) in params {
            // `x_zh` / `x_en`: a sentence the system wrote in both languages (a dispatch reason) fills `{x}`.
            if name.hasSuffix("_zh") || name.hasSuffix("_en") {
                if name.hasSuffix(suffix) { text = text.replacingOccurrences(of: "{\(name.dropLast(3))}", with: value) }
                continue
            }
            // `phrase…`: a catalogue code of a phrase of ours (what a field must be), worded in every reading.
            if name.hasPrefix("phrase") {
                text = text.replacingOccurrences(
                    of: "{\(name)}", with: MessageCatalogue.template(value, language) ?? value)
                continue
            }
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
        } else if name.hasPrefix("when") {
            // An instant stored as ISO 8601: shown as Beijing time, as every time on the console.
            named = { (try? Date($0, strategy: .iso8601)).map { $0.formatted(WhenTag.style) } ?? $0 }
        } else if name.hasPrefix("term") {
            named = { ConsoleText.term($0, language) }
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
        return value.split(separator: ",").map { named($0.trimmingCharacters(in: .whitespaces)) }.joined(
            separator: language.listSeparator)
    }
}
