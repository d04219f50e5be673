import Foundation

/// Why an indicator file is refused: the place (`indicators[2].attribute`) and what is wrong there.
public struct IndicatorDefinitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Reads and checks indicator definitions (CityNet issue 11 §2).
///
/// The file is a JSON object `{"indicators": [ … ]}`; each indicator has exactly the keys `id`, `name_zh`,
/// `name_en`, `source` (`readings` or `cases`), `unit`, `window_seconds`, `worse` (`higher`/`lower`), `bands`
/// (three ascending numbers), `decimals` (0…3), and: for `readings`, `sensor_kind`, `aggregate` (`mean`, `max`,
/// `reporting_share`), `attribute` (not for `reporting_share`) and `max_age_seconds` (1…`window_seconds`); for
/// `cases`, `measure` (`open`, `overdue`, `on_time_rate`). Units must match what is computed: the attribute's unit
/// (``VitalAttribute/catalogue``) for `mean` and `max`, `P1` for shares and rates, `C62` for counts.
public enum IndicatorCatalogue {
    /// Parses and checks a definitions file.
    /// - Returns: the definitions in file order.
    /// - Throws: ``IndicatorDefinitionError`` for the first problem found, naming its place.
    public static func parse(_ data: Data) throws(IndicatorDefinitionError) -> [IndicatorDefinition] {
        let root: JSONValue
        do { root = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw IndicatorDefinitionError(path: "$", message: "not JSON (\(error))")
        }
        guard case .object(let object) = root, case .array(let list)? = object["indicators"], object.count == 1
        else {
            throw IndicatorDefinitionError(path: "$", message: "expected an object with only an `indicators` array")
        }
        guard !list.isEmpty else { throw IndicatorDefinitionError(path: "indicators", message: "no indicator defined") }
        var seen = Set<String>()
        var result: [IndicatorDefinition] = []
        for (index, item) in list.enumerated() {
            let definition = try parse(item, at: "indicators[\(index)]")
            guard seen.insert(definition.id).inserted else {
                throw IndicatorDefinitionError(
                    path: "indicators[\(index)].id", message: "'\(definition.id)' is defined twice")
            }
            result.append(definition)
        }
        return result
    }

    private static let common: Set<String> = [
        "id", "name_zh", "name_en", "source", "unit", "window_seconds", "worse", "bands", "decimals",
    ]

    private static func parse(_ item: JSONValue, at path: String) throws(IndicatorDefinitionError)
        -> IndicatorDefinition
    {
        guard case .object(let fields) = item else {
            throw IndicatorDefinitionError(path: path, message: "expected an object")
        }
        var reader = Reader(fields: fields, path: path)
        let id = try reader.string("id")
        guard id.wholeMatch(of: /[a-z0-9_]{1,40}/) != nil else {
            throw reader.error("id", "'\(id)' must be 1–40 of a–z 0–9 _")
        }
        let nameZh = try reader.string("name_zh")
        let nameEn = try reader.string("name_en")
        let unit = try reader.string("unit")
        let window = try reader.int("window_seconds", in: 60...31_622_400)
        let worse = try reader.choice("worse", IndicatorWorse.init(rawValue:), ["higher", "lower"])
        let bands = try reader.bands()
        let decimals = try reader.int("decimals", in: 0...3)
        let source: IndicatorSource
        let expectedUnit: String
        var maxAge: Int?
        var allowed = common
        switch try reader.string("source") {
        case "readings":
            allowed.formUnion(["sensor_kind", "attribute", "aggregate", "max_age_seconds"])
            let kind = try reader.choice(
                "sensor_kind", SensorKind.init(rawValue:), SensorKind.allCases.map(\.rawValue))
            let aggregate = try reader.choice(
                "aggregate", ReadingAggregate.init(rawValue:), ReadingAggregate.allCases.map(\.rawValue))
            maxAge = try reader.int("max_age_seconds", in: 1...window)
            if aggregate == .reportingShare {
                guard fields["attribute"] == nil else {
                    throw reader.error("attribute", "not used by reporting_share (it counts sensors of the kind)")
                }
                source = .readings(kind: kind, attribute: nil, aggregate: aggregate)
                expectedUnit = "P1"
            } else {
                let name = try reader.string("attribute")
                guard let attribute = VitalAttribute.lookup(name, kind: kind) else {
                    let names = (VitalAttribute.catalogue[kind] ?? []).map(\.name).joined(separator: ", ")
                    throw reader.error(
                        "attribute", "'\(name)' is not an attribute of \(kind.rawValue) (one of \(names))")
                }
                source = .readings(kind: kind, attribute: name, aggregate: aggregate)
                expectedUnit = attribute.unit
            }
        case "cases":
            allowed.insert("measure")
            let measure = try reader.choice(
                "measure", CaseMeasure.init(rawValue:), CaseMeasure.allCases.map(\.rawValue))
            source = .cases(measure)
            expectedUnit = measure == .onTimeRate ? "P1" : "C62"
        case let other:
            throw reader.error("source", "'\(other)' is not one of readings, cases")
        }
        guard unit == expectedUnit else {
            throw reader.error("unit", "'\(unit)' does not match what is computed ('\(expectedUnit)')")
        }
        if let extra = fields.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw reader.error(extra, "unknown key for an indicator over \(source.label)")
        }
        return IndicatorDefinition(
            id: id, nameZh: nameZh, nameEn: nameEn, source: source, unit: unit, windowSeconds: window,
            maxAgeSeconds: maxAge, worse: worse, bands: bands, decimals: decimals)
    }

    /// Typed reads of one indicator's fields, each failing with the field's path.
    private struct Reader {
        let fields: [String: JSONValue]
        let path: String

        func error(_ key: String, _ message: String) -> IndicatorDefinitionError {
            IndicatorDefinitionError(path: "\(path).\(key)", message: message)
        }

        func string(_ key: String) throws(IndicatorDefinitionError) -> String {
            guard let value = fields[key] else { throw error(key, "missing") }
            guard case .string(let text) = value, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw error(key, "expected a non-empty string")
            }
            return text
        }

        func int(_ key: String, in range: ClosedRange<Int>) throws(IndicatorDefinitionError) -> Int {
            guard let field = fields[key] else { throw error(key, "missing") }
            guard case .number(let value) = field, let int = Int(exactly: value), range.contains(int) else {
                throw error(key, "expected a whole number in \(range.lowerBound)…\(range.upperBound)")
            }
            return int
        }

        func choice<T>(_ key: String, _ make: (String) -> T?, _ names: [String]) throws(IndicatorDefinitionError) -> T {
            let text = try string(key)
            guard let value = make(text) else {
                throw error(key, "'\(text)' is not one of \(names.joined(separator: ", "))")
            }
            return value
        }

        func bands() throws(IndicatorDefinitionError) -> [Double] {
            guard case .array(let list)? = fields["bands"], list.count == 3 else {
                throw error("bands", "expected three ascending numbers")
            }
            var values: [Double] = []
            for item in list {
                guard case .number(let number) = item else { throw error("bands", "expected three ascending numbers") }
                values.append(number)
            }
            guard values[0] < values[1], values[1] < values[2] else {
                throw error("bands", "thresholds must ascend strictly, got \(values)")
            }
            return values
        }
    }
}

extension IndicatorSource {
    /// `readings` or `cases`, as in the definitions file.
    public var label: String {
        switch self {
        case .readings: "readings"
        case .cases: "cases"
        }
    }
}
