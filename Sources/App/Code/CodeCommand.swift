import CityDomain
import Foundation

/// `citynet code verify PAYLOAD --keys FILE [--revocations FILE]` and `citynet code new-key ID`: run before the app
/// is configured, so they need no server and no database (issue #16 §2).
///
/// `verify` checks a status code (`-` reads it from standard input) with the public keys in FILE (the JSON of
/// `GET /api/v1/status-code-keys`) and, with `--revocations`, the JSON of `GET /api/v1/status-code-revocations`
/// (or the bare list JWS). It prints the outcome, the reasons in English and Chinese and — when the signature
/// verified — the category and validity, and exits with ``exitCode(_:listGiven:)``. `new-key` prints a keys line
/// with a fresh Ed25519 key to append to `CITYNET_STATUS_CODE_KEY_FILE` (rotation).
enum CodeCommand {
    /// Exit statuses of `verify`: 0 valid; 1 usage or a file that cannot be read; 2 malformed; 3 tampered;
    /// 4 unknown key; 5 revoked; 6 expired; 7 not yet valid; 8 valid but the revocation list given could not be
    /// used or is stale; 9 replayed (beyond its validity window).
    static func exitCode(_ check: StatusCodeCheck, listGiven: Bool) -> Int32 {
        switch check.outcome {
        case .valid: listGiven && check.revocation != .checked ? 8 : 0
        case .malformed: 2
        case .tampered: 3
        case .unknownKey: 4
        case .revoked: 5
        case .expired: 6
        case .notYetValid: 7
        case .replayed: 9
        }
    }

    static let usage = """
        usage: citynet code verify PAYLOAD|- --keys FILE [--revocations FILE]
               citynet code new-key KEY_ID
        """

    /// Runs `code …` when `arguments` (without the program name) start with it; nil otherwise.
    static func runIfNamed(
        _ arguments: [String], now: Date = Date(),
        readStandardInput: () -> String? = {
            String(data: FileHandle.standardInput.readDataToEndOfFile(), encoding: .utf8)
        }, print output: (String) -> Void = { Swift.print($0) }
    ) async -> Int32? {
        guard arguments.first == "code" else { return nil }
        var rest = Array(arguments.dropFirst())
        guard let verb = rest.first else {
            output(usage)
            return 1
        }
        rest.removeFirst()
        if verb == "new-key" { return LicenceKeyRing.newKeyVerb(rest, usage: usage, print: output) }
        guard verb == "verify" else {
            output(usage)
            return 1
        }
        var payload: String?
        var files: [String: String] = [:]
        var index = 0
        while index < rest.count {
            let argument = rest[index]
            if argument == "--keys" || argument == "--revocations" {
                guard index + 1 < rest.count else {
                    output("\(argument) needs a file\n" + usage)
                    return 1
                }
                files[argument] = rest[index + 1]
                index += 2
                continue
            }
            guard payload == nil else {
                output("one payload only\n" + usage)
                return 1
            }
            payload = argument == "-" ? readStandardInput() : argument
            index += 1
        }
        guard let payload, let keysPath = files["--keys"] else {
            output(usage)
            return 1
        }
        let verifier: StatusCodeVerifier
        do {
            let keys = try JSONDecoder().decode(
                LicenceKeySet.self, from: try Data(contentsOf: URL(fileURLWithPath: keysPath)))
            var list: String?
            if let path = files["--revocations"] {
                list = revocationList(try String(contentsOfFile: path, encoding: .utf8))
            }
            verifier = try await StatusCodeVerifier(keys: keys, revocationList: list)
        } catch {
            output("error: \(error)")
            return 1
        }
        let check = await verifier.check(payload, now: Int64(now.timeIntervalSince1970.rounded(.down)))
        output(report(check))
        return exitCode(check, listGiven: files["--revocations"] != nil)
    }

    /// The list JWS from a revocations file: the JSON of the endpoint (its `list`), or the bare JWS.
    static func revocationList(_ text: String) -> String {
        if let object = try? JSONDecoder().decode([String: AnyCodableString].self, from: Data(text.utf8)),
            case .text(let list)? = object["list"]
        {
            return list
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A JSON value that is kept only when it is a string.
    enum AnyCodableString: Decodable {
        case text(String)
        case other

        init(from decoder: any Decoder) throws {
            self = (try? decoder.singleValueContainer().decode(String.self)).map(Self.text) ?? .other
        }
    }

    /// The printed result: outcome, reasons, and the claims when the signature verified.
    static func report(_ check: StatusCodeCheck) -> String {
        var lines = [
            "outcome: \(check.outcome.rawValue)", "reason: \(check.reasonEn)", "原因：\(check.reasonZh)",
            "revocation: \(check.revocation.rawValue)",
        ]
        if let claims = check.claims, ![.malformed, .tampered, .unknownKey].contains(check.outcome) {
            lines += [
                "status: \(claims.category)", "issued: \(StatusTimeText.iso(claims.issuedAt))",
                "valid until: \(StatusTimeText.iso(claims.expiresAt))",
            ]
        }
        return lines.joined(separator: "\n")
    }
}

/// ISO 8601 in UTC for printed times.
enum StatusTimeText {
    static func iso(_ seconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
