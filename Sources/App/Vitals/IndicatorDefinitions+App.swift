import CityDomain
import Foundation
import Vapor

/// The indicator definitions of the running app: the bundled `Resources/indicators.json`, checked at start
/// (``IndicatorCatalogue/parse(_:)``); a bad file stops the server with the place of the problem.
enum IndicatorDefinitions {
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// The bundled definitions.
    /// - Throws: ``LoadError`` when the file is missing, or naming the first problem in it.
    static func bundled() throws -> [IndicatorDefinition] {
        guard let url = Bundle.module.url(forResource: "indicators", withExtension: "json", subdirectory: "Resources")
        else { throw LoadError(description: "Resources/indicators.json is missing from the app bundle") }
        do {
            return try IndicatorCatalogue.parse(try Data(contentsOf: url))
        } catch let error as IndicatorDefinitionError {
            throw LoadError(description: "Resources/indicators.json: \(error)")
        }
    }
}

extension Application {
    private struct IndicatorsKey: StorageKey { typealias Value = [IndicatorDefinition] }

    /// The app's indicator definitions, in file order; installed by `configure`.
    var indicators: [IndicatorDefinition] {
        get { storage[IndicatorsKey.self] ?? [] }
        set { storage[IndicatorsKey.self] = newValue }
    }
}
