/// How a host is written in a URL or a `HOST:PORT` address: an IPv6 literal in brackets (RFC 3986
/// §3.2.2, else its colons read as the port's), any other host as it is. One rule for the
/// server's messages, the client's URLs and the CLI's lines.
package enum HostNotation {
    /// `::1` → `[::1]`; `example.com` and `127.0.0.1` unchanged.
    package static func bracketed(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }

    /// `HOST:PORT`, the host bracketed when it is an IPv6 literal.
    package static func address(_ host: String, port: Int) -> String {
        "\(bracketed(host)):\(port)"
    }
}
