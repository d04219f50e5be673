/// The response format a client asks for with the resource's suffix (`/services.xml`, `/requests.json`).
///
/// GeoReport v2 "Format Support": XML is required, JSON optional; the format is the last path component's extension.
public enum Open311Format: String, Sendable, CaseIterable, Equatable {
    /// `text/xml; charset=utf-8`, the spec's required format.
    case xml
    /// `application/json; charset=utf-8`.
    case json

    /// The full `Content-Type` header value for a response in this format, always with `charset=utf-8`
    /// (GeoReport v2 "Encoding").
    public var contentType: String {
        switch self {
        case .xml: "text/xml; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        }
    }

    /// The bare MIME type, as listed in service discovery's `formats` (`text/xml`, `application/json`).
    public var mimeType: String {
        switch self {
        case .xml: "text/xml"
        case .json: "application/json"
        }
    }

    /// Reads a format suffix such as `"xml"` or `"JSON"` (case-insensitive, no dot).
    ///
    /// - Parameter suffix: the text after the last dot of a path component.
    /// - Returns: the format, or `nil` for anything but xml and json.
    public init?(suffix: String) {
        self.init(rawValue: suffix.lowercased())
    }

    /// Splits a path component such as `"requests.json"` or `"638344.xml"` into its resource name and format.
    ///
    /// - Parameter pathComponent: the last path component of the request URL, already percent-decoded.
    /// - Returns: the part before the last dot (`"requests"`, `"638344"`) and the format.
    /// - Throws: `Open311Error` with code 404 naming the component when it has no suffix or the suffix is neither
    ///   xml nor json (the resource in that format does not exist). Answer that error in XML, the required format.
    public static func split(pathComponent: String) throws(Open311Error) -> (name: String, format: Open311Format) {
        guard let dot = pathComponent.lastIndex(of: ".") else {
            throw .notFound("\"\(pathComponent)\" has no format suffix; append .xml or .json")
        }
        let name = String(pathComponent[..<dot])
        let suffix = String(pathComponent[pathComponent.index(after: dot)...])
        guard !name.isEmpty else {
            throw .notFound("\"\(pathComponent)\" names no resource before the format suffix")
        }
        guard let format = Open311Format(suffix: suffix) else {
            throw .notFound(
                "\"\(pathComponent)\" does not end in .xml or .json (format \"\(suffix)\" is not supported)")
        }
        return (name, format)
    }
}
