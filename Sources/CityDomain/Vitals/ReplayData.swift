import Foundation
import SwiftCSV

/// A sensor a replay file feeds: its id, kind, names, where CityNet registers it, and the catalogue attributes it
/// reports.
public struct ReplaySite: Sendable, Equatable {
    public let id: String
    public let kind: SensorKind
    public let name: String
    /// The region the sensor is registered in (a Shanghai district, or the city).
    public let regionCode: String
    public let address: String?
    /// The owning unit's kind in that region (`<region>.<kind>` is the unit code).
    public let unitKind: String
    public let attributes: [String]

    public init(
        id: String, kind: SensorKind, name: String, regionCode: String, address: String?, unitKind: String,
        attributes: [String]
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.regionCode = regionCode
        self.address = address
        self.unitKind = unitKind
        self.attributes = attributes
    }
}

/// One reading of a replay file, in the attribute's catalogue unit (``VitalAttribute``).
public struct ReplayReading: Sendable, Equatable {
    public let sensorID: String
    public let attribute: String
    /// The data's own timestamp (event time).
    public let observed: Date
    public let value: Double
}

/// A line of a replay file that could not be read, or a cell that is neither a number nor `NA`.
public struct ReplayLineProblem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number in the file (the header is line 1).
    public let line: Int
    public let message: String

    public var description: String { "line \(line): \(message)" }
}

/// A replay file read into sensors and readings.
public struct ReplayData: Sendable {
    public let format: ReplayFormat
    public let sites: [ReplaySite]
    /// Readings in observed-time order (then sensor, then attribute).
    public let readings: [ReplayReading]
    /// Cells that were `NA` or empty: gaps, never readings (and never zeros).
    public let gaps: Int
    /// Lines skipped whole (wrong number of fields, bad time) and cells refused (not a finite number).
    public let problems: [ReplayLineProblem]

    public init(
        format: ReplayFormat, sites: [ReplaySite], readings: [ReplayReading], gaps: Int, problems: [ReplayLineProblem]
    ) {
        self.format = format
        self.sites = sites
        self.readings = readings
        self.gaps = gaps
        self.problems = problems
    }
}

/// Why a replay file cannot be read at all.
public enum ReplayDataError: Error, Equatable, Sendable, CustomStringConvertible {
    case notCSV(String)
    case unknownFormat(header: [String])

    public var description: String {
        switch self {
        case .notCSV(let reason): "not a CSV file: \(reason)"
        case .unknownFormat(let header):
            "unknown format: the header (\(header.prefix(8).joined(separator: ","))…) is none of "
                + ReplayFormat.allCases.map(\.summary).joined(separator: "; ")
        }
    }
}

/// The real hourly (and daily) series in `shared/data` that `citynet sensors replay` feeds in as sensors
/// (CityNet issue 11 §5), told apart by their header.
public enum ReplayFormat: String, Sendable, CaseIterable {
    /// `shanghai_pm25_3sites_hourly_*.csv` (UCI "PM2.5 Data of Five Chinese Cities", Liang et al. 2016): PM2.5 at
    /// 静安, 徐汇 and the US Consulate, and one weather record an hour.
    case shanghai
    /// `beijing_*hourly*.csv` (UCI "Beijing Multi-Site Air-Quality Data", Zhang et al. 2017): 12 stations.
    case beijing
    /// `montreal_bike_paths_daily_counts_2012.csv` (Ville de Montréal open data): 7 bike-path counters, daily.
    case montreal

    var summary: String {
        switch self {
        case .shanghai: "shanghai (timestamp, PM_Jingan, PM_US Post, PM_Xuhui, TEMP, …)"
        case .beijing: "beijing (timestamp, station, PM2.5, PM10, SO2, NO2, CO, O3, …)"
        case .montreal: "montreal (Date and one column per counter)"
        }
    }

    /// The format a header names, or nil.
    public static func detect(header: [String]) -> ReplayFormat? {
        let columns = Set(header)
        if columns.isSuperset(of: ["timestamp", "PM_Jingan", "PM_US Post", "PM_Xuhui", "TEMP"]) { return .shanghai }
        if columns.isSuperset(of: ["timestamp", "station", "PM2.5", "PM10", "SO2", "NO2", "CO", "O3"]) {
            return .beijing
        }
        if header.first == "Date", header.count > 1 { return .montreal }
        return nil
    }
}

/// Reads replay files (CSV through SwiftCSV) into sites and readings.
///
/// Column → attribute mapping (FIWARE Smart Data Models names, values converted to the catalogue's UN/CEFACT unit):
/// - Shanghai: `PM_Jingan`, `PM_US Post`, `PM_Xuhui` → `pm25` (GQ, µg/m³) of three air-quality sensors;
///   `TEMP` → `temperature` (CEL), `HUMI` % → `relativeHumidity` (C62, ÷100), `PRES` → `atmosphericPressure`
///   (HPA), `precipitation` → `precipitation` (MMT) of one weather sensor. `DEWP` (no catalogue attribute), `Iws`
///   and `Iprec` (cumulated, not hourly values) and `cbwd` (a category) are not replayed.
/// - Beijing: per station, `PM2.5`, `PM10`, `SO2`, `NO2`, `O3` → `pm25`, `pm10`, `so2`, `no2`, `o3` (GQ) and `CO`
///   µg/m³ → `co` (GP, mg/m³, ÷1000) of an air-quality sensor; `TEMP`, `PRES`, `RAIN` → `precipitation`, `WSPM` →
///   `windSpeed` (MTS) of a weather sensor. `DEWP` and `wd` are not replayed.
/// - Montréal: each counter column → `intensity` (E50, bicycles a day) of a traffic counter, observed at midnight
///   Montréal time of the day counted.
///
/// Where the sensors go: the Shanghai sites in their districts as the data set's PROVENANCE names them (静安区
/// 310106; 徐汇区 310104 for the Xuhui site and for the US Consulate at 淮海中路1469号), the weather record at city
/// level (the data set does not say which station it comes from). Beijing's and Montréal's sites lie outside
/// Shanghai's region hierarchy: they are registered as a DEMO MAPPING onto Shanghai districts (stations in name
/// order onto districts in code order), and every such sensor's name says so.
public enum ReplayParser {
    /// Cells read as a gap.
    static let missing: Set<String> = ["NA", ""]

    /// Shanghai's districts in code order (the demo mapping's targets).
    public static let districts = [
        "310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310113", "310114", "310115",
        "310116", "310117", "310118", "310120", "310151",
    ]

    /// Their names, as the demo mapping states them in a sensor's name.
    static let districtNames = [
        "310101": "黄浦区", "310104": "徐汇区", "310105": "长宁区", "310106": "静安区", "310107": "普陀区", "310109": "虹口区",
        "310110": "杨浦区", "310112": "闵行区", "310113": "宝山区", "310114": "嘉定区", "310115": "浦东新区", "310116": "金山区",
        "310117": "松江区", "310118": "青浦区", "310120": "奉贤区", "310151": "崇明区",
    ]

    /// Reads a replay file.
    /// - Parameter text: the whole CSV file (UTF-8, comma-separated, a header line first).
    /// - Returns: the sites, readings in observed-time order, the number of gaps and the problems per line.
    /// - Throws: ``ReplayDataError`` when the text is not CSV or its header names no known format.
    public static func parse(_ text: String) throws(ReplayDataError) -> ReplayData {
        let csv: EnumeratedCSV
        do {
            csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
        } catch {
            throw .notCSV("\(error)")
        }
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let format = ReplayFormat.detect(header: header) else { throw .unknownFormat(header: header) }
        var rows: [[String]] = []
        do {
            try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { rows.append($0) }
        } catch {
            throw .notCSV("\(error)")
        }
        var reader = Reader(header: header)
        switch format {
        case .shanghai: reader.shanghai(rows)
        case .beijing: reader.beijing(rows)
        case .montreal: reader.montreal(rows)
        }
        let readings = reader.readings.sorted {
            ($0.observed, $0.sensorID, $0.attribute) < ($1.observed, $1.sensorID, $1.attribute)
        }
        return ReplayData(
            format: format, sites: reader.sites, readings: readings, gaps: reader.gaps, problems: reader.problems)
    }

    /// A value cell: nil for a gap.
    /// - Throws: ``ReadingProblem`` for anything but a finite decimal number or a gap.
    static func value(_ cell: String) throws(ReadingProblem) -> Double? {
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        if missing.contains(trimmed) { return nil }
        return try ReadingRules.value(fromText: trimmed)
    }

    /// A sensor-id slug of a station or counter name: lower-case ASCII letters and digits, `-` between words
    /// (`Côte-Sainte-Catherine` → `cote-sainte-catherine`, `Berri 1` → `berri-1`).
    public static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var out = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, !out.hasSuffix("-") {
                out += "-"
            }
        }
        return out.hasSuffix("-") ? String(out.dropLast()) : out
    }
}

/// The work of one parse: column lookups, sites in order of first appearance, readings, gaps and problems.
private struct Reader {
    let header: [String]
    let column: [String: Int]
    var sites: [ReplaySite] = []
    var siteIDs = Set<String>()
    var readings: [ReplayReading] = []
    var gaps = 0
    var problems: [ReplayLineProblem] = []

    init(header: [String]) {
        self.header = header
        var column: [String: Int] = [:]
        for (index, name) in header.enumerated() where column[name] == nil { column[name] = index }
        self.column = column
    }

    mutating func site(_ site: ReplaySite) {
        if siteIDs.insert(site.id).inserted { sites.append(site) }
    }

    /// The row's fields when it has as many as the header, else nil (and a problem).
    mutating func fields(_ row: [String], line: Int) -> [String]? {
        if row.count == header.count { return row }
        problems.append(
            ReplayLineProblem(line: line, message: "\(row.count) fields, the header has \(header.count); line skipped"))
        return nil
    }

    /// Adds the reading of one cell (a gap counts; a refused cell is a problem).
    mutating func add(
        _ row: [String], _ name: String, sensor: String, attribute: String, at observed: Date, line: Int,
        divisor: Double = 1
    ) {
        guard let index = column[name] else { return }
        do {
            guard let value = try ReplayParser.value(row[index]) else {
                gaps += 1
                return
            }
            readings.append(
                ReplayReading(sensorID: sensor, attribute: attribute, observed: observed, value: value / divisor))
        } catch {
            problems.append(ReplayLineProblem(line: line, message: "\(name): \(error)"))
        }
    }

    mutating func time(_ row: [String], line: Int) -> Date? {
        let text = row[column["timestamp"] ?? 0]
        guard let date = try? Date.ISO8601FormatStyle().parse(text) else {
            problems.append(ReplayLineProblem(line: line, message: "timestamp '\(text)' is not ISO 8601; line skipped"))
            return nil
        }
        return date
    }

    static let shanghaiPM: [(column: String, id: String, name: String, region: String, address: String?)] = [
        ("PM_Jingan", "sh.pm25.jingan", "静安监测站 PM2.5", "310106", nil),
        ("PM_US Post", "sh.pm25.us-post", "美国驻沪总领事馆 PM2.5", "310104", "徐汇区淮海中路1469号"),
        ("PM_Xuhui", "sh.pm25.xuhui", "徐汇监测站 PM2.5", "310104", nil),
    ]

    mutating func shanghai(_ rows: [[String]]) {
        for pm in Self.shanghaiPM {
            site(
                ReplaySite(
                    id: pm.id, kind: .airQuality, name: pm.name, regionCode: pm.region, address: pm.address,
                    unitKind: "eco_environment", attributes: ["pm25"]))
        }
        site(
            ReplaySite(
                id: "sh.weather", kind: .weather, name: "上海气象记录（数据集未注明站点，登记在全市）",
                regionCode: RegionHierarchy.shanghaiCityCode, address: nil, unitKind: "operations_centre",
                attributes: ["temperature", "relativeHumidity", "atmosphericPressure", "precipitation"]))
        for (offset, raw) in rows.enumerated() {
            let line = offset + 2
            guard let row = fields(raw, line: line), let observed = time(row, line: line) else { continue }
            for pm in Self.shanghaiPM {
                add(row, pm.column, sensor: pm.id, attribute: "pm25", at: observed, line: line)
            }
            add(row, "TEMP", sensor: "sh.weather", attribute: "temperature", at: observed, line: line)
            add(
                row, "HUMI", sensor: "sh.weather", attribute: "relativeHumidity", at: observed, line: line, divisor: 100
            )
            add(row, "PRES", sensor: "sh.weather", attribute: "atmosphericPressure", at: observed, line: line)
            add(row, "precipitation", sensor: "sh.weather", attribute: "precipitation", at: observed, line: line)
        }
    }

    mutating func beijing(_ rows: [[String]]) {
        let stationColumn = column["station"] ?? 1
        let stations = Set(rows.compactMap { $0.count == header.count ? $0[stationColumn] : nil }).sorted()
        var region: [String: String] = [:]
        for (index, station) in stations.enumerated() {
            region[station] = ReplayParser.districts[index % ReplayParser.districts.count]
        }
        for (offset, raw) in rows.enumerated() {
            let line = offset + 2
            guard let row = fields(raw, line: line), let observed = time(row, line: line) else { continue }
            let station = row[stationColumn]
            let slug = ReplayParser.slug(station)
            guard !slug.isEmpty, let district = region[station] else {
                problems.append(ReplayLineProblem(line: line, message: "no station name; line skipped"))
                continue
            }
            let air = "bj.\(slug)"
            let weather = "bj.\(slug).weather"
            if !siteIDs.contains(air) {
                let mark = "（北京站点，演示映射至\(ReplayParser.districtNames[district] ?? district)）"
                site(
                    ReplaySite(
                        id: air, kind: .airQuality, name: "北京 \(station) 空气质量\(mark)", regionCode: district,
                        address: nil, unitKind: "eco_environment",
                        attributes: ["pm25", "pm10", "so2", "no2", "co", "o3"]))
                site(
                    ReplaySite(
                        id: weather, kind: .weather, name: "北京 \(station) 气象\(mark)", regionCode: district,
                        address: nil, unitKind: "operations_centre",
                        attributes: ["temperature", "atmosphericPressure", "precipitation", "windSpeed"]))
            }
            for (name, attribute) in [
                ("PM2.5", "pm25"), ("PM10", "pm10"), ("SO2", "so2"), ("NO2", "no2"), ("O3", "o3"),
            ] {
                add(row, name, sensor: air, attribute: attribute, at: observed, line: line)
            }
            add(row, "CO", sensor: air, attribute: "co", at: observed, line: line, divisor: 1000)
            add(row, "TEMP", sensor: weather, attribute: "temperature", at: observed, line: line)
            add(row, "PRES", sensor: weather, attribute: "atmosphericPressure", at: observed, line: line)
            add(row, "RAIN", sensor: weather, attribute: "precipitation", at: observed, line: line)
            add(row, "WSPM", sensor: weather, attribute: "windSpeed", at: observed, line: line)
        }
    }

    mutating func montreal(_ rows: [[String]]) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Montreal") ?? .gmt
        let counters = header.dropFirst().enumerated().map { index, name in
            (
                name: name, id: "mtl.\(ReplayParser.slug(name))",
                region: ReplayParser.districts[index % ReplayParser.districts.count]
            )
        }
        for counter in counters {
            site(
                ReplaySite(
                    id: counter.id, kind: .trafficCounter,
                    name:
                        "蒙特利尔自行车道计数器 \(counter.name)（演示映射至\(ReplayParser.districtNames[counter.region] ?? counter.region)）",
                    regionCode: counter.region,
                    address: nil, unitKind: "transport", attributes: ["intensity"]))
        }
        for (offset, raw) in rows.enumerated() {
            let line = offset + 2
            guard let row = fields(raw, line: line) else { continue }
            let parts = row[0].split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3,
                let day = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
            else {
                problems.append(
                    ReplayLineProblem(line: line, message: "Date '\(row[0])' is not YYYY-MM-DD; line skipped"))
                continue
            }
            for counter in counters {
                add(row, counter.name, sensor: counter.id, attribute: "intensity", at: day, line: line)
            }
        }
    }
}
