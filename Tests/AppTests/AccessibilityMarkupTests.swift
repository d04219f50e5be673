import CityDomain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Markup the browser test's axe-core check (Tests/Browser/axe_check.py) fails on, caught without a browser: every
/// form control has an accessible name, the city map is a group of named links rather than an image, and the style
/// sheet shows keyboard focus and tells links in text apart without colour (CityNet issue 12 §10; WCAG 2.1 1.1.1,
/// 1.4.1, 2.4.7, 4.1.2).
@Suite struct AccessibilityMarkupTests {
    /// The form controls of `html` (select, textarea, and input other than hidden, submit and button) that have
    /// neither an aria-label / aria-labelledby nor an enclosing `<label>`: each one is axe's `label` or
    /// `select-name` violation.
    static func unnamedControls(_ html: String) -> [String] {
        var unnamed: [String] = []
        for match in html.matches(of: #/<(select|textarea|input)\b[^>]*>/#) {
            let tag = String(html[match.range])
            if [#"type="hidden""#, #"type="submit""#, #"type="button""#].contains(where: tag.contains)
                || tag.contains("aria-label=") || tag.contains("aria-labelledby=")
            {
                continue
            }
            let before = html[..<match.range.lowerBound]
            if let opened = before.ranges(of: "<label").last?.lowerBound,
                (before.ranges(of: "</label>").last?.lowerBound).map({ $0 < opened }) ?? true
            {
                continue
            }
            unnamed.append(tag)
        }
        return unnamed
    }

    static func page(_ app: Application, _ path: String, cookie: String = "") async throws -> String {
        var html = ""
        try await app.testing().test(.GET, path, headers: cookie.isEmpty ? [:] : ["Cookie": cookie]) { res in
            #expect(res.status == .ok, "\(path)")
            html = res.body.string
        }
        return html
    }

    @Test func everyControlOfTheOperatorsPagesHasAName() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, _ in
            let key = try await TestApp.apiKey(app)
            _ = try await HotlineAPITests.post(app, key: key, ["text": "浦东新区这边一直有问题，希望管一管", "channel": "phone"])
            let open = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let (closed, _) = try await CaseCallbackAPITests.closedCase(app)
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.a11y", unit: "310115.operations_centre", role: .districtOperator)
            for path in [
                "/console", "/console?lang=en", "/console/cases", "/console/cases/\(open)", "/console/cases/\(closed)",
                "/console/cases/\(closed)?lang=en", "/console/triage", "/console/alarms", "/console/gov",
            ] {
                let html = try await Self.page(app, path, cookie: cookie)
                #expect(Self.unnamedControls(html) == [], "\(path)")
                if path.hasPrefix("/console/cases/\(closed)") {
                    #expect(html.contains(#"name="callback_result" required aria-label="#))
                }
            }
        }
    }

    @Test func everyControlOfTheCitizensServiceSearchAndLicencesHasAName() async throws {
        try await TestApp.withApp { app, _ in
            for path in ["/console/citizen/services", "/console/citizen/services?lang=en&life_event=newborn"] {
                let html = try await Self.page(app, path)
                #expect(html.contains(#"<select name="department" aria-label="#), "\(path)")
                #expect(Self.unnamedControls(html) == [], "\(path)")
            }
            let (citizen, _, _) = try await LicenceFixtures.approvedNewborn(app)
            let licence = try #require(try await LicenceFixtures.licences(app, token: citizen).first)
            let session = try #require(try await GovPages.signIn(app, number: GovFixtures.identityNumber()))
            let html = try await Self.page(
                app, "/console/citizen/licences", cookie: "\(CitizenPageSession.cookie)=\(session)")
            #expect(html.contains(#"<textarea class="licence-payload" aria-label="证照码 \#(licence.number)""#))
            #expect(Self.unnamedControls(html) == [])
        }
    }

    /// axe's first finding on the console (issue 12): the map was `role="img"` yet held the district links, which an
    /// image hides from assistive technology.
    @Test func theCityMapIsAGroupOfNamedLinksNotAnImage() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let cookie = try await ConsoleTests.signIn(
                app, username: "city.a11y", unit: "310000.operations_centre", role: .cityOperator)
            // The city's map: 16 districts and the case's dot; a district's zoom: its outline and the dot.
            for (path, least) in [("/console", 17), ("/console?district=310115", 2)] {
                let html = try await Self.page(app, path, cookie: cookie)
                #expect(!html.contains(#"role="img""#), "\(path)")
                let map = try #require(html.firstRange(of: #/<svg id="map"[^>]*>[\s\S]*?</svg>/#).map { html[$0] })
                #expect(map.hasPrefix(#"<svg id="map""#) && map.contains(#"role="group" aria-label=""#))
                let links = map.matches(of: #/<a [^>]*>/#).map { String(map[$0.range]) }
                #expect(links.count >= least, "\(path)")
                #expect(links.filter { !$0.contains("aria-label=\"") } == [], "\(path)")
            }
        }
    }

    /// axe's moderate and minor findings (page-has-heading-one, landmark-unique, empty-table-header): the city
    /// screen has a main heading, the desk's pager is a navigation named apart from the header's, and the savings
    /// tables have no empty header cell.
    @Test func pagesHaveAMainHeadingDistinctLandmarksAndNoEmptyHeaders() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.a11y", unit: "310115.operations_centre", role: .districtOperator)
            for (path, heading) in [
                // A district operator's screen is their district's (issue 12 §5: the map zooms into it).
                ("/console", "<h1>浦东新区</h1>"), ("/console?district=310115&lang=en", "<h1>Pudong New Area</h1>"),
            ] {
                let html = try await Self.page(app, path, cookie: cookie)
                #expect(html.contains(heading), "\(path)")
            }
            let desk = try await Self.page(app, "/console/cases", cookie: cookie)
            #expect(desk.contains(#"<nav class="pager" aria-label="翻页">"#))
            for path in ["/console/citizen/bundles", "/console/citizen/bundles/newborn?lang=en"] {
                let html = try await Self.page(app, path)
                #expect(html.contains("<table class=\"savings\">") && !html.contains("<th></th>"), "\(path)")
            }
        }
    }

    @Test func theStyleSheetShowsFocusAndUnderlinesLinksInText() async throws {
        try await TestApp.withApp { app, _ in
            let css = try await Self.page(app, "/console/assets/console.css")
            #expect(css.contains(":focus-visible { outline: 2px solid"))
            #expect(css.contains("#map a:focus-visible path, #map a:focus-visible circle { stroke:"))
            #expect(css.contains("> a:not(.button):not(.chip):not(.tile) { text-decoration: underline;"))
        }
    }
}
