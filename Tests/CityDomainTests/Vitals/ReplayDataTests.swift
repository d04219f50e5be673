import CityDomain
import Foundation
import Testing

/// Replay files (CityNet issue 11 §5): the three formats, gaps, refused cells and lines, unknown formats, and the
/// alarm episodes of a rule over a series.
@Suite struct ReplayDataTests {
    static let shanghaiHeader =
        "timestamp,year,month,day,hour,season,PM_Jingan,PM_US Post,PM_Xuhui,DEWP,HUMI,PRES,TEMP,cbwd,Iws,precipitation,Iprec"

    static func date(_ text: String) -> Date { try! Date.ISO8601FormatStyle().parse(text) }

    @Test func shanghaiRowsBecomeFourSensorsWithGapsLeftOutAndBadLinesReported() throws {
        let text = """
            \(Self.shanghaiHeader)
            2013-01-29T06:00:00+08:00,2013,1,29,6,4,30.0,NA,33.0,3.0,70.67,1022.0,8.0,SE,73.0,0.0,0.0
            2013-01-29T07:00:00+08:00,2013,1,29,7,4,,38.0,inf,3.0,50,1023.0,8.5,SE,77.0,0.2,0.2
            2013-01-29T08:00:00+08:00,2013,1,29,8,4,34.0,38.0
            yesterday,2013,1,29,9,4,34.0,38.0,42.0,3.0,70.67,1023.0,8.0,SE,77.0,0.0,0.0
            2013-01-29T10:00:00+08:00,2013,1,29,10,4,abc,40,41,3.0,NA,1023.0,9.0,SE,77.0,0.0,0.0

            """
        let data = try ReplayParser.parse(text)
        #expect(data.format == .shanghai)
        #expect(data.sites.map(\.id) == ["sh.pm25.jingan", "sh.pm25.us-post", "sh.pm25.xuhui", "sh.weather"])
        #expect(data.sites.map(\.regionCode) == ["310106", "310104", "310104", "310000"])
        let six = Self.date("2013-01-28T22:00:00Z")
        let jingan = data.readings.filter { $0.sensorID == "sh.pm25.jingan" }
        #expect(jingan.map(\.value) == [30], "an empty cell and 'abc' give no reading, never a zero")
        #expect(jingan.first?.observed == six, "the data's own timestamp, +08:00")
        let humidity = data.readings.filter { $0.attribute == "relativeHumidity" }.map(\.value)
        #expect(humidity.count == 2 && abs(humidity[0] - 0.7067) < 1e-12 && humidity[1] == 0.5, "% to a ratio")
        #expect(data.readings.filter { $0.sensorID == "sh.pm25.us-post" }.map(\.value) == [38, 40])
        // Gaps: NA (US Post, 06:00), empty (Jingan, 07:00), NA (HUMI, 10:00).
        #expect(data.gaps == 3)
        #expect(data.problems.map(\.line) == [3, 4, 5, 6])
        #expect(data.problems[0].message.contains("PM_Xuhui") && data.problems[0].message.contains("finite"))
        #expect(data.problems[1].message.contains("8 fields"))
        #expect(data.problems[2].message.contains("timestamp"))
        #expect(data.problems[3].message.contains("PM_Jingan") && data.problems[3].message.contains("number"))
    }

    @Test func beijingStationsAreDemoMappedOntoShanghaiDistrictsAndCOIsConvertedToMilligrams() throws {
        let text = """
            timestamp,station,year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,TEMP,PRES,DEWP,RAIN,wd,WSPM
            2016-03-01T00:00:00+08:00,Dongsi,2016,3,1,0,63.0,83.0,20.0,72.0,1200.0,15.0,0.4,1023.9,-14.8,0.0,S,1.4
            2016-03-01T00:00:00+08:00,Aotizhongxin,2016,3,1,0,NA,83.0,20.0,72.0,900.0,15.0,0.4,1023.9,-14.8,0.0,S,1.4
            """
        let data = try ReplayParser.parse(text)
        #expect(data.format == .beijing)
        #expect(
            data.sites.map(\.id) == ["bj.dongsi", "bj.dongsi.weather", "bj.aotizhongxin", "bj.aotizhongxin.weather"])
        // Stations in name order onto districts in code order: Aotizhongxin → 310101, Dongsi → 310104.
        #expect(data.sites.first { $0.id == "bj.dongsi" }?.regionCode == "310104")
        #expect(data.sites.first { $0.id == "bj.aotizhongxin" }?.regionCode == "310101")
        #expect(data.sites.allSatisfy { $0.name.contains("演示映射") })
        #expect(data.sites.first { $0.id == "bj.dongsi" }?.name == "北京 Dongsi 空气质量（北京站点，演示映射至徐汇区）")
        #expect(data.readings.first { $0.sensorID == "bj.dongsi" && $0.attribute == "co" }?.value == 1.2)
        #expect(!data.readings.contains { $0.sensorID == "bj.aotizhongxin" && $0.attribute == "pm25" })
        #expect(data.gaps == 1)
        #expect(data.readings.count == 2 * 6 + 2 * 4 - 1)
    }

    @Test func montrealCountersAreDailyTrafficCountsAtMidnightMontrealTime() throws {
        let text = """
            Date,Berri 1,Côte-Sainte-Catherine
            2012-01-01,35,0
            2012-07-01,4000,NA
            """
        let data = try ReplayParser.parse(text)
        #expect(data.format == .montreal)
        #expect(data.sites.map(\.id) == ["mtl.berri-1", "mtl.cote-sainte-catherine"])
        #expect(data.sites.allSatisfy { $0.kind == .trafficCounter && $0.attributes == ["intensity"] })
        let berri = data.readings.filter { $0.sensorID == "mtl.berri-1" }
        #expect(berri.map(\.observed) == [Self.date("2012-01-01T05:00:00Z"), Self.date("2012-07-01T04:00:00Z")])
        #expect(data.readings.filter { $0.sensorID == "mtl.cote-sainte-catherine" }.map(\.value) == [0])
    }

    @Test func anUnknownHeaderIsRefusedNamingTheFormats() {
        #expect(throws: ReplayDataError.self) { try ReplayParser.parse("a,b,c\n1,2,3\n") }
        do {
            _ = try ReplayParser.parse("name,value\nx,1\n")
        } catch {
            #expect("\(error)".contains("unknown format") && "\(error)".contains("montreal"))
        }
    }

    @Test func episodesCountRaiseToClearWithHoursWithDataApartFromGaps() {
        let start = Self.date("2024-01-01T00:00:00Z")
        func at(_ hour: Int) -> Date { start.addingTimeInterval(Double(hour) * 3600) }
        // 80 at hours 0–3 (raised at hour 1, held one hour), 70 at 4 clears; 90 at 6 alone (one hour, never held);
        // 100 at 8, 9 raises, a 30-hour gap, 60 at 40 clears; 76 at 50, 51 still active at the end.
        let values: [(Int, Double)] = [
            (0, 80), (1, 80), (2, 120), (3, 80), (4, 70), (6, 90), (7, 50), (8, 100), (9, 100), (40, 60), (50, 76),
            (51, 76),
        ]
        let episodes = AlarmEpisodes.episodes(
            rule: DefaultAlarmRules.pm25, readings: values.map { (at($0.0), $0.1) })
        #expect(episodes.count == 3)
        #expect(episodes[0].runStart == at(0) && episodes[0].raisedAt == at(1) && episodes[0].clearedAt == at(4))
        #expect(episodes[0].peak == 120 && episodes[0].readings == 4)
        #expect(episodes[1].duration(end: at(51)) == 32 * 3600 && episodes[1].readings == 2)
        #expect(episodes[2].clearedAt == nil && episodes[2].duration(end: at(51)) == 3600)
        let summary = AlarmEpisodes.Summary(episodes, end: at(51))
        #expect(summary.count == 3 && summary.totalHours == 4 + 32 + 1 && summary.longestHours == 32)
        #expect(summary.totalReadings == 8 && summary.longestReadings == 4 && summary.peak == 120)
    }

    @Test func slugsAreAsciiIDs() {
        #expect(ReplayParser.slug("Côte-Sainte-Catherine") == "cote-sainte-catherine")
        #expect(ReplayParser.slug("Berri 1") == "berri-1")
        #expect(ReplayParser.slug("du Parc") == "du-parc")
    }
}
