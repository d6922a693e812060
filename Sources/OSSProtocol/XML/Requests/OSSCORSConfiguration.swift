import Foundation

/// A bucket's cross-origin rules: the `<CORSConfiguration>` document of PutBucketCors and
/// GetBucketCors, and the evaluation browsers rely on (preflight `OPTIONS` and the
/// `Access-Control-*` headers of actual requests).
///
/// Rules are tried in order and the first that matches decides, as OSS does. An origin or
/// header pattern may contain one `*`, which matches any run of characters.
public struct OSSCORSConfiguration: Sendable, Hashable {
    /// Most rules one bucket may have.
    public static let maximumRules = 10
    /// The methods a rule may allow.
    public static let methods: Set<String> = ["GET", "PUT", "DELETE", "POST", "HEAD"]

    /// One `<CORSRule>`.
    public struct Rule: Sendable, Hashable {
        /// Origins allowed, such as `https://app.example.com`, `https://*.example.com` or `*`.
        public var allowedOrigins: [String]
        /// Methods allowed: GET, PUT, DELETE, POST, HEAD.
        public var allowedMethods: [String]
        /// Request headers a preflight may ask for (case-insensitive, one `*` each).
        public var allowedHeaders: [String]
        /// Response headers page scripts may read.
        public var exposeHeaders: [String]
        /// How long a browser may cache a preflight answer, in seconds.
        public var maxAgeSeconds: Int?

        /// Creates a rule.
        public init(
            allowedOrigins: [String], allowedMethods: [String], allowedHeaders: [String] = [],
            exposeHeaders: [String] = [], maxAgeSeconds: Int? = nil
        ) {
            self.allowedOrigins = allowedOrigins
            self.allowedMethods = allowedMethods
            self.allowedHeaders = allowedHeaders
            self.exposeHeaders = exposeHeaders
            self.maxAgeSeconds = maxAgeSeconds
        }

        /// Whether the rule allows `origin` to use `method` with `requestHeaders`.
        public func allows(origin: String, method: String, requestHeaders: [String] = []) -> Bool {
            allowedOrigins.contains { OSSCORSConfiguration.matches(pattern: $0, origin) }
                && allowedMethods.contains(method)
                && requestHeaders.allSatisfy { header in
                    allowedHeaders.contains { OSSCORSConfiguration.matches(pattern: $0.lowercased(), header.lowercased()) }
                }
        }
    }

    /// The rules, in the order they are tried.
    public var rules: [Rule]
    /// Whether every response of the bucket carries `Vary: Origin` (for caches in front of it).
    public var responseVary: Bool

    /// Creates a configuration.
    public init(rules: [Rule], responseVary: Bool = false) {
        self.rules = rules
        self.responseVary = responseVary
    }

    /// The first rule that allows the request, if any.
    public func rule(origin: String, method: String, requestHeaders: [String] = []) -> Rule? {
        rules.first { $0.allows(origin: origin, method: method, requestHeaders: requestHeaders) }
    }

    /// The document, as PutBucketCors sends it and GetBucketCors answers.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("CORSConfiguration") { writer in
            for rule in rules {
                writer.element("CORSRule") { writer in
                    for origin in rule.allowedOrigins { writer.element("AllowedOrigin", origin) }
                    for method in rule.allowedMethods { writer.element("AllowedMethod", method) }
                    for header in rule.allowedHeaders { writer.element("AllowedHeader", header) }
                    for header in rule.exposeHeaders { writer.element("ExposeHeader", header) }
                    if let maxAge = rule.maxAgeSeconds { writer.element("MaxAgeSeconds", String(maxAge)) }
                }
            }
            writer.element("ResponseVary", responseVary ? "true" : "false")
        }
        return writer.output
    }

    /// Reads and checks a `<CORSConfiguration>` document.
    ///
    /// - Throws: `MalformedXML` for a bad document or more than ``maximumRules`` rules;
    ///   `InvalidArgument` for a rule without origin or method, an unknown method, a pattern with
    ///   more than one `*`, or a `MaxAgeSeconds` that is not a non-negative integer.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        var reader = Reader()
        try XMLEventReader.read(body, root: "CORSConfiguration", into: &reader)
        for rule in reader.rules {
            guard !rule.allowedOrigins.isEmpty, !rule.allowedMethods.isEmpty else {
                throw .invalidArgument("Each CORSRule needs at least one AllowedOrigin and one AllowedMethod.", name: "CORSRule")
            }
            for method in rule.allowedMethods where !Self.methods.contains(method) {
                throw .invalidArgument(
                    "AllowedMethod must be GET, PUT, DELETE, POST or HEAD.", name: "AllowedMethod", value: method)
            }
            for pattern in rule.allowedOrigins + rule.allowedHeaders where pattern.filter({ $0 == "*" }).count > 1 {
                throw .invalidArgument("A pattern may contain one * at most.", name: "AllowedOrigin", value: pattern)
            }
        }
        self.init(rules: reader.rules, responseVary: reader.responseVary)
    }

    /// `pattern` against `text`: equal, or with the pattern's one `*` standing for any run.
    static func matches(pattern: String, _ text: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return pattern == text }
        let prefix = pattern[..<star]
        let suffix = pattern[pattern.index(after: star)...]
        return text.count >= prefix.count + suffix.count && text.hasPrefix(prefix) && text.hasSuffix(suffix)
    }

    private struct Reader: XMLEventHandler {
        var rules: [Rule] = []
        var responseVary = false
        var current = Rule(allowedOrigins: [], allowedMethods: [])

        mutating func didStart(_ path: [String]) throws(OSSError) {
            guard path.count == 2, path[1] == "CORSRule" else { return }
            guard rules.count < OSSCORSConfiguration.maximumRules else {
                throw .malformedXML("A bucket has \(OSSCORSConfiguration.maximumRules) CORS rules at most.")
            }
            current = Rule(allowedOrigins: [], allowedMethods: [])
        }

        mutating func didEnd(_ path: [String], text: String) throws(OSSError) {
            switch (path.count, path.last) {
            case (2, "CORSRule"): rules.append(current)
            case (2, "ResponseVary"):
                guard let value = Bool(text.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    throw .invalidArgument("ResponseVary must be true or false.", name: "ResponseVary", value: text)
                }
                responseVary = value
            case (3, "AllowedOrigin") where path[1] == "CORSRule": current.allowedOrigins.append(text)
            case (3, "AllowedMethod") where path[1] == "CORSRule": current.allowedMethods.append(text)
            case (3, "AllowedHeader") where path[1] == "CORSRule": current.allowedHeaders.append(text)
            case (3, "ExposeHeader") where path[1] == "CORSRule": current.exposeHeaders.append(text)
            case (3, "MaxAgeSeconds") where path[1] == "CORSRule":
                guard let seconds = Int(text.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
                    throw .invalidArgument("MaxAgeSeconds must be a whole number of seconds.", name: "MaxAgeSeconds", value: text)
                }
                current.maxAgeSeconds = seconds
            default: break
            }
        }
    }
}

extension OSSError {
    /// 404 `NoSuchCORSConfiguration`: GetBucketCors on a bucket without rules.
    public static func noSuchCORSConfiguration(_ bucket: String) -> OSSError {
        OSSError(
            code: "NoSuchCORSConfiguration", status: 404, message: "The CORS Configuration does not exist.",
            details: [("BucketName", bucket)])
    }

    /// 403 `AccessForbidden`: a preflight that no CORS rule of the bucket allows.
    public static func corsNotAllowed() -> OSSError {
        OSSError(
            code: "AccessForbidden", status: 403,
            message: "CORSResponse: this CORS request is not allowed: no CORS rule of the bucket allows its Origin, "
                + "Access-Control-Request-Method and Access-Control-Request-Headers.")
    }
}
