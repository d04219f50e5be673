import Foundation

/// A bounding box in pixels of the snapshot: left, top, width, height.
public struct DetectionBox: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// Why one detection is refused. Each maps to a per-item error code of the ingestion API; nothing is stored for it.
public enum DetectionProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownType(String)
    /// Confidence NaN, ±∞, or outside 0…1.
    case badConfidence(String)
    /// A box with a non-finite or negative coordinate, an empty size, or outside the image.
    case badBox(String)

    public var code: String {
        switch self {
        case .unknownType: "unknown_type"
        case .badConfidence: "bad_confidence"
        case .badBox: "bad_box"
        }
    }

    public var description: String {
        switch self {
        case .unknownType(let text):
            "unknown detection type '\(text)'; one of \(DetectionType.allCases.map(\.rawValue).joined(separator: ", "))"
        case .badConfidence(let text): "confidence \(text) is not a number from 0 to 1"
        case .badBox(let why): "bad box: \(why)"
        }
    }
}

/// Checks of a detection's own fields.
public enum DetectionRules {
    /// The confidence when it is a finite number from 0 to 1.
    public static func confidence(_ value: Double) throws(DetectionProblem) -> Double {
        guard value.isFinite, (0...1).contains(value) else { throw .badConfidence("\(value)") }
        return value
    }

    /// The box when every coordinate is finite and non-negative, its width and height are positive, and it lies
    /// inside an image of `imageWidth` × `imageHeight` pixels.
    public static func box(_ box: DetectionBox, imageWidth: Int, imageHeight: Int) throws(DetectionProblem)
        -> DetectionBox
    {
        let values = [box.x, box.y, box.width, box.height]
        guard values.allSatisfy(\.isFinite) else { throw .badBox("coordinates must be finite numbers") }
        guard values.allSatisfy({ $0 >= 0 }) else { throw .badBox("coordinates must not be negative") }
        guard box.width > 0, box.height > 0 else { throw .badBox("width and height must be positive") }
        guard box.x + box.width <= Double(imageWidth), box.y + box.height <= Double(imageHeight) else {
            throw .badBox("the box leaves the \(imageWidth)×\(imageHeight) image")
        }
        return box
    }
}
