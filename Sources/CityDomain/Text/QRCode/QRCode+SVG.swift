import Foundation

extension QRCode {
    /// The symbol as an SVG image, one unit per module, with a light quiet zone of `quietZone` modules on each side
    /// (§6.3.8: at least 4) and `title` as its accessible name.
    ///
    /// Dark modules are one `<path>` of horizontal runs on a light background `<rect>`, drawn with crisp edges; the
    /// `viewBox` is `size + 2 · quietZone` units square, so CSS sets the rendered size. No script, no external
    /// resource.
    /// - Parameters:
    ///   - title: the text of the `<title>` element (escaped here).
    ///   - quietZone: light modules around the symbol; 4 unless a page supplies its own margin.
    ///   - cssClass: the `class` attribute of the `<svg>` element.
    public func svg(title: String, quietZone: Int = 4, cssClass: String = "qr") -> String {
        let side = size + 2 * quietZone
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                var end = x
                while end < size && isDark(x: end, y: y) { end += 1 }
                path += "M\(x + quietZone) \(y + quietZone)h\(end - x)v1h-\(end - x)z"
                x = end
            }
        }
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(Self.escape(cssClass))\" viewBox=\"0 0 \(side) \(side)\""
            + " role=\"img\" shape-rendering=\"crispEdges\" data-qr-version=\"\(version)\">"
            + "<title>\(Self.escape(title))</title>"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    private static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
