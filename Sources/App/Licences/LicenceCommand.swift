import CityDomain
import Foundation

/// `citynet licence verify PAYLOAD [--keys FILE] [--status-list FILE]` and `citynet licence new-key ID`: run before
/// the app is configured, so they need no server and no database.
///
/// `verify` checks a payload (`-` reads it from standard input; quote it: Base45 has spaces) with the public keys in
/// FILE (the JSON of `GET /api/v1/licence-keys`; without `--keys`, the configured signing keys:
/// `CITYNET_LICENCE_KEYS`, `CITYNET_LICENCE_KEY_FILE` or `./citynet.sqlite.licence-keys`) and, with `--status-list`,
/// the JSON of `GET /api/v1/licence-status-list`. It prints the outcome, the reasons in English and Chinese and
/// the licence, and exits with ``exitCode(_:)``. `new-key` prints a keys line with a fresh Ed25519 key to append to
/// the key file (rotation).
enum LicenceCommand {
    /// Exit statuses of `verify`: 0 valid; 1 usage or a file that cannot be read; 2 malformed; 3 tampered;
    /// 4 unknown key; 5 revoked; 6 expired; 7 not yet valid; 8 valid but the status list given could not be used
    /// (its signature, another list, or older than the licence).
    static func exitCode(_ check: LicenceCheck, listGiven: Bool) -> Int32 {
        switch check.outcome {
        case .valid:
            if listGiven, case .checked = check.revocation { return 0 }
            return listGiven ? 8 : 0
        case .malformed: return 2
        case .tampered: return 3
        case .unknownKey: return 4
        case .revoked: return 5
        case .expired: return 6
        case .notYetValid: return 7
        case .unknownLicence: return 3
        }
    }

    static let usage = """
        usage: citynet licence verify PAYLOAD|- [--keys FILE] [--status-list FILE]
               citynet licence new-key KEY_ID
        """

    /// Runs `licence …` when `arguments` (without the program name) start with it; nil otherwise.
    static func runIfNamed(
        _ arguments: [String], environment: [String: String], now: Date = Date(),
        readStandardInput: () -> String? = {
            String(data: FileHandle.standardInput.readDataToEndOfFile(), encoding: .utf8)
        }, print output: (String) -> Void = { Swift.print($0) }
    ) -> Int32? {
        guard arguments.first == "licence" else { return nil }
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
        var keysPath: String?
        var listPath: String?
        var index = 0
        while index < rest.count {
            let argument = rest[index]
            if argument == "--keys" || argument == "--status-list" {
                guard index + 1 < rest.count else {
                    output("\(argument) needs a file\n" + usage)
                    return 1
                }
                if argument == "--keys" { keysPath = rest[index + 1] } else { listPath = rest[index + 1] }
                index += 2
                continue
            }
            guard payload == nil else {
                output("one payload only (quote it: Base45 has spaces)\n" + usage)
                return 1
            }
            payload = argument == "-" ? readStandardInput() : argument
            index += 1
        }
        guard let payload else {
            output(usage)
            return 1
        }
        let keys: LicenceKeyRing
        var list: LicenceStatusDocument?
        do {
            keys = try verifierKeys(path: keysPath, environment: environment)
            if let listPath {
                list = try JSONDecoder().decode(
                    LicenceStatusDocument.self, from: try Data(contentsOf: URL(fileURLWithPath: listPath)))
            }
        } catch {
            output("error: \(error)")
            return 1
        }
        let check = LicenceCheck.check(
            payload, keys: keys, statusList: list, now: Int64(now.timeIntervalSince1970.rounded(.down)))
        output(report(check))
        return exitCode(check, listGiven: list != nil)
    }

    private static func verifierKeys(path: String?, environment: [String: String]) throws -> LicenceKeyRing {
        if let path {
            return try LicenceKeyRing(
                published: try JSONDecoder().decode(
                    LicenceKeySet.self, from: try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        if let text = environment["CITYNET_LICENCE_KEYS"], !text.isEmpty {
            return try LicenceKeyRing.parse(text, source: "CITYNET_LICENCE_KEYS")
        }
        let file =
            environment["CITYNET_LICENCE_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "citynet.sqlite.licence-keys"
        guard FileManager.default.fileExists(atPath: file) else {
            throw ConfigError.invalid(["no keys: give --keys FILE (the JSON of GET /api/v1/licence-keys)"])
        }
        return try LicenceKeyRing.parse(try String(contentsOfFile: file, encoding: .utf8), source: file)
    }

    /// The printed result: outcome, reasons, and the licence's fields when its signature verified.
    static func report(_ check: LicenceCheck) -> String {
        var lines = ["outcome: \(check.outcome.rawValue)", "reason: \(check.reasonEn)", "原因：\(check.reasonZh)"]
        if let payload = check.payload, ![.malformed, .tampered, .unknownKey].contains(check.outcome) {
            lines += [
                "number: \(payload.number)", "kind: \(payload.kind)",
                "holder: \(payload.holderName) \(payload.holderIdentity)", "issuer: \(payload.issuer)",
                "issued: \(LicenceTime.iso(payload.issuedAt))",
                "valid until: \(payload.validUntil.map(LicenceTime.iso) ?? "no end (长期)")",
                "key: \(payload.keyID)", "status: \(payload.statusList) #\(payload.statusIndex)",
            ]
        }
        return lines.joined(separator: "\n")
    }
}
