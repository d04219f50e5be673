import NIOCore
import Vapor

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Parses `1.2.3.4`, `2001:db8::1`, and the same with a port as proxies sometimes write them (`1.2.3.4:5678`,
    /// `[2001:db8::1]:5678`); IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes the IPv4 address. Nil for anything else.
    public init?(_ text: some StringProtocol) {
        var host = text.trimmingCharacters(in: .whitespaces)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            host = String(host[..<colon])  // IPv4 with a port
        }
        guard !host.isEmpty, host.count <= 45, let address = try? SocketAddress(ipAddress: host, port: 0) else {
            return nil
        }
        switch address {
        case .v4(let v4): bytes = withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let all = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            bytes = all.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] ? Array(all.suffix(4)) : all
        case .unixDomainSocket: return nil
        }
    }

    /// The peer address of a connection, or nil for a Unix socket or a request made in memory (tests).
    init?(_ address: SocketAddress?) {
        guard let text = address?.ipAddress else { return nil }
        self.init(text)
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// Dotted IPv4, or IPv6 in full hexadecimal groups (unambiguous; this is a key, not for display).
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    /// What failed sign-ins are counted by: an IPv4 address, or the /64 network of an IPv6 address (one
    /// subscriber usually holds a whole /64, so counting single IPv6 addresses would not limit anyone).
    public var throttleKey: String {
        isIPv4
            ? description
            : IPAddress(unchecked: Array(bytes.prefix(8)) + Array(repeating: 0, count: 8)).description
                + "/64"
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }
}

/// An IP network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`; a bare address is a /32 or /128).
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    /// Nil when `text` is not an address with an optional prefix length that fits it.
    public init?(_ text: some StringProtocol) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(parts[0]) else { return nil }
        let maximum = address.bytes.count * 8
        if parts.count == 2 {
            guard parts[1].allSatisfy({ ("0"..."9").contains($0) }), let length = Int(parts[1]),
                (0...maximum).contains(length)
            else {
                return nil
            }
            prefixLength = length
        } else {
            prefixLength = maximum
        }
        self.address = address
    }

    public var description: String { "\(address)/\(prefixLength)" }

    /// Whether `other` lies inside this network (never across IPv4 and IPv6).
    public func contains(_ other: IPAddress) -> Bool {
        guard other.bytes.count == address.bytes.count else { return false }
        var bits = prefixLength
        for (mine, theirs) in zip(address.bytes, other.bytes) where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if mine & mask != theirs & mask { return false }
            bits -= 8
        }
        return true
    }
}

/// Which address a request came from, for throttling sign-ins.
enum ClientAddress {
    /// The key failed sign-ins of a request whose peer address is unknown (in-memory tests) are counted under.
    static let unknown = "unknown"

    /// The client: the peer itself, unless the peer is a trusted proxy; then the right-most address of the
    /// `X-Forwarded-For` chain that is not a trusted proxy (every trusted proxy appends the address it received the
    /// request from, so that one is the first the client could not have written). When every address in the chain
    /// is trusted, the left-most; when the walk meets an entry that is not an address, the last trusted hop before
    /// it. This is the rule of nginx's `real_ip_recursive on` and of MDN's "X-Forwarded-For: selecting an IP
    /// address" (right-most, trusted-proxy list).
    /// - Parameters:
    ///   - peer: the address of the connection, nil when unknown.
    ///   - forwardedFor: every `X-Forwarded-For` header value in order (each may be a comma list).
    ///   - trusted: the configured trusted proxies (`CITYNET_TRUSTED_PROXIES`).
    static func resolve(peer: IPAddress?, forwardedFor: [String], trusted: [IPNetwork]) -> IPAddress? {
        guard var client = peer else { return nil }
        let isTrusted = { (address: IPAddress) in trusted.contains { $0.contains(address) } }
        let chain = forwardedFor.flatMap { $0.split(separator: ",") }
        for entry in chain.reversed() {
            guard isTrusted(client) else { break }
            guard let hop = IPAddress(entry) else { break }
            client = hop
        }
        return client
    }
}

extension Request {
    /// The client's address as ``ClientAddress/resolve(peer:forwardedFor:trusted:)`` finds it, as the key sign-in
    /// failures are counted under (``IPAddress/throttleKey``; ``ClientAddress/unknown`` without a peer address).
    var clientAddressKey: String {
        ClientAddress.resolve(
            peer: IPAddress(remoteAddress), forwardedFor: headers[.xForwardedFor],
            trusted: application.config.trustedProxies)?.throttleKey ?? ClientAddress.unknown
    }
}
