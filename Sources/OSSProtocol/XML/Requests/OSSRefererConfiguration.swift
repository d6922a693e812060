import Foundation

/// PutBucketReferer's body and GetBucketReferer's answer: hotlink protection.
///
/// ```xml
/// <RefererConfiguration>
///   <AllowEmptyReferer>false</AllowEmptyReferer>
///   <AllowTruncateQueryString>true</AllowTruncateQueryString>
///   <RefererList><Referer>https://*.example.com</Referer></RefererList>
///   <RefererBlacklist><Referer>https://bad.example.com</Referer></RefererBlacklist>
/// </RefererConfiguration>
/// ```
///
/// OSS checks it only on requests that carry no `Authorization` header (anonymous ones and
/// presigned URLs): a `Referer` on the blacklist, or off a non-empty whitelist, is refused, and so
/// is a missing one unless `AllowEmptyReferer`. A pattern matches the start of a referer, as on
/// OSS (`http://www.example.com` takes `http://www.example.com/page`), and without a scheme it
/// matches after the referer's (`www.example.com`); `*` stands for any run, `?` for one character,
/// letter case does not count.
public struct OSSRefererConfiguration: Sendable, Hashable {
    public var allowEmptyReferer: Bool
    /// `AllowTruncateQueryString` (default `true`): the referer's query string is ignored.
    public var allowTruncateQueryString: Bool?
    /// `TruncatePath` (v2 SDK): the referer's path is ignored too.
    public var truncatePath: Bool?
    public var referers: [String]
    public var blacklist: [String]

    public init(
        allowEmptyReferer: Bool = true, allowTruncateQueryString: Bool? = nil, truncatePath: Bool? = nil,
        referers: [String] = [], blacklist: [String] = []
    ) {
        self.allowEmptyReferer = allowEmptyReferer
        self.allowTruncateQueryString = allowTruncateQueryString
        self.truncatePath = truncatePath
        self.referers = referers
        self.blacklist = blacklist
    }

    /// Reads a document.
    /// - Throws: `MalformedXML` for another root, a missing `AllowEmptyReferer` or a Boolean that
    ///   is not one.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "RefererConfiguration")
        guard let allowEmpty = try root.bool("AllowEmptyReferer") else {
            throw .malformedXML("RefererConfiguration needs AllowEmptyReferer.")
        }
        self.init(
            allowEmptyReferer: allowEmpty, allowTruncateQueryString: try root.bool("AllowTruncateQueryString"),
            truncatePath: try root.bool("TruncatePath"),
            referers: root.child("RefererList")?.children("Referer").map(\.text) ?? [],
            blacklist: root.child("RefererBlacklist")?.children("Referer").map(\.text) ?? [])
    }

    /// The document.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("RefererConfiguration") { writer in
            writer.element("AllowEmptyReferer", allowEmptyReferer)
            if let truncate = allowTruncateQueryString { writer.element("AllowTruncateQueryString", truncate) }
            if let truncate = truncatePath { writer.element("TruncatePath", truncate) }
            writer.element("RefererList") { writer in
                for referer in referers { writer.element("Referer", referer) }
            }
            if !blacklist.isEmpty {
                writer.element("RefererBlacklist") { writer in
                    for referer in blacklist { writer.element("Referer", referer) }
                }
            }
        }
        return writer.output
    }

    /// Whether a request with this `Referer` (`nil` or empty: none) may go on.
    public func allows(referer: String?) -> Bool {
        guard var referer, !referer.isEmpty else { return allowEmptyReferer || (referers.isEmpty && blacklist.isEmpty) }
        if allowTruncateQueryString ?? true, let mark = referer.firstIndex(of: "?") { referer = String(referer[..<mark]) }
        if truncatePath == true, let scheme = referer.range(of: "://"),
            let slash = referer[scheme.upperBound...].firstIndex(of: "/")
        {
            referer = String(referer[..<slash])
        }
        if blacklist.contains(where: { Self.matches(referer, pattern: $0) }) { return false }
        return referers.isEmpty || referers.contains { Self.matches(referer, pattern: $0) }
    }

    /// Whether `pattern` matches the start of `referer` (after its scheme, when the pattern has none).
    static func matches(_ referer: String, pattern: String) -> Bool {
        var text = referer
        if !pattern.contains("://"), let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        // `*` and `?` wildcards, letter case ignored.
        return OSSPolicyPattern.matchesIgnoringCase(pattern + "*", text)
    }
}

extension OSSRefererConfiguration: OSSXMLDocument {}

/// PutBucketLogging's body and GetBucketLogging's answer: where access logs go.
///
/// `<BucketLoggingStatus><LoggingEnabled><TargetBucket/><TargetPrefix/></LoggingEnabled></BucketLoggingStatus>`;
/// without `LoggingEnabled`, logging is off (GetBucketLogging answers the empty document).
public struct OSSBucketLoggingStatus: Sendable, Hashable {
    public var targetBucket: String?
    public var targetPrefix: String

    public init(targetBucket: String? = nil, targetPrefix: String = "") {
        self.targetBucket = targetBucket
        self.targetPrefix = targetPrefix
    }

    /// Reads a document.
    /// - Throws: `MalformedXML` for another root or a `LoggingEnabled` without `TargetBucket`.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "BucketLoggingStatus")
        guard let enabled = root.child("LoggingEnabled") else {
            self.init()
            return
        }
        guard let target = enabled.text("TargetBucket"), !target.isEmpty else {
            throw .malformedXML("LoggingEnabled needs a TargetBucket.")
        }
        self.init(targetBucket: target, targetPrefix: enabled.text("TargetPrefix") ?? "")
    }

    /// The document.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("BucketLoggingStatus") { writer in
            if let targetBucket {
                writer.element("LoggingEnabled") { writer in
                    writer.element("TargetBucket", targetBucket)
                    writer.element("TargetPrefix", targetPrefix)
                }
            }
        }
        return writer.output
    }
}

extension OSSBucketLoggingStatus: OSSXMLDocument {}

/// PutBucketWebsite's body and GetBucketWebsite's answer: the index and error documents and
/// routing rules of static website hosting. The document is kept as sent (routing rules are
/// many-shaped) once its root and its two documents are checked.
public struct OSSWebsiteConfiguration: Sendable, Hashable {
    /// `IndexDocument/Suffix`, such as `index.html`.
    public var indexDocument: String?
    /// `ErrorDocument/Key`, such as `error.html`.
    public var errorDocument: String?
    /// The document as received.
    public var xml: String

    /// Reads a document.
    /// - Throws: `MalformedXML` for another root, or one with neither an index document, an
    ///   error document nor routing rules.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "WebsiteConfiguration")
        indexDocument = root.child("IndexDocument")?.text("Suffix").flatMap { $0.isEmpty ? nil : $0 }
        errorDocument = root.child("ErrorDocument")?.text("Key").flatMap { $0.isEmpty ? nil : $0 }
        guard indexDocument != nil || errorDocument != nil || root.child("RoutingRules") != nil else {
            throw .malformedXML("WebsiteConfiguration needs an IndexDocument, an ErrorDocument or RoutingRules.")
        }
        xml = String(decoding: Array(body), as: UTF8.self)
    }
}

extension OSSWebsiteConfiguration: OSSXMLDocument {}
