import Foundation

/// The four HTTP conditions on an object, one type for both header sets that carry them:
/// GetObject and HeadObject (`If-Match`, `If-None-Match`, `If-Modified-Since`,
/// `If-Unmodified-Since`) and the source of CopyObject and UploadPartCopy
/// (`x-oss-copy-source-if-*`). Clients write them with ``fields(_:)``; the server reads them with
/// ``init(_:from:)`` and evaluates them with one precedence, RFC 9110 §13.2.2's (the ETag
/// conditions first; a date condition counts only when its ETag counterpart is absent).
public struct OSSConditions: Sendable, Hashable {
    /// Only if the object's ETag is this one (`*` or a list as in `If-Match`); 412 otherwise.
    public var ifMatch: String?
    /// Only if the object's ETag is not this one.
    public var ifNoneMatch: String?
    /// Only if the object changed after this date (HTTP dates have whole seconds).
    public var ifModifiedSince: Date?
    /// Only if the object did not change after this date; 412 otherwise.
    public var ifUnmodifiedSince: Date?

    /// Creates conditions; none by default.
    public init(
        ifMatch: String? = nil, ifNoneMatch: String? = nil, ifModifiedSince: Date? = nil,
        ifUnmodifiedSince: Date? = nil
    ) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifUnmodifiedSince = ifUnmodifiedSince
    }

    /// No conditions: any object passes.
    public static let none = OSSConditions()

    /// Which header set carries the conditions.
    public enum Headers: Sendable {
        /// `If-Match` … on a GET or HEAD.
        case request
        /// `x-oss-copy-source-if-match` … on a copy.
        case copySource
    }

    /// One of the four conditions, to say which failed.
    public enum Condition: String, Sendable, Hashable, CaseIterable {
        case ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince

        /// The header that carries it in `headers`.
        public func headerName(in headers: Headers) -> String {
            switch (self, headers) {
            case (.ifMatch, .request): "If-Match"
            case (.ifNoneMatch, .request): "If-None-Match"
            case (.ifModifiedSince, .request): "If-Modified-Since"
            case (.ifUnmodifiedSince, .request): "If-Unmodified-Since"
            case (.ifMatch, .copySource): OSSHeader.copySourceIfMatch
            case (.ifNoneMatch, .copySource): OSSHeader.copySourceIfNoneMatch
            case (.ifModifiedSince, .copySource): OSSHeader.copySourceIfModifiedSince
            case (.ifUnmodifiedSince, .copySource): OSSHeader.copySourceIfUnmodifiedSince
            }
        }

        /// Whether failing it means "not modified" (304 on a GET) rather than a failed
        /// precondition (412).
        public var meansNotModified: Bool { self == .ifNoneMatch || self == .ifModifiedSince }
    }

    /// Reads the conditions of one header set; an unparsable date is ignored, as HTTP does.
    package init(_ headers: Headers, from header: (String) -> String?) {
        func value(_ condition: Condition) -> String? { header(condition.headerName(in: headers)) }
        func date(_ condition: Condition) -> Date? { value(condition).flatMap(OSSDateFormat.date(httpDate:)) }
        self.init(
            ifMatch: value(.ifMatch), ifNoneMatch: value(.ifNoneMatch), ifModifiedSince: date(.ifModifiedSince),
            ifUnmodifiedSince: date(.ifUnmodifiedSince))
    }

    /// The header fields that carry the set conditions in `headers`, for a client to send.
    public func fields(_ headers: Headers) -> [(name: String, value: String)] {
        let values: [(Condition, String?)] = [
            (.ifMatch, ifMatch), (.ifNoneMatch, ifNoneMatch),
            (.ifModifiedSince, ifModifiedSince.map(OSSDateFormat.httpDate)),
            (.ifUnmodifiedSince, ifUnmodifiedSince.map(OSSDateFormat.httpDate)),
        ]
        return values.compactMap { condition, value in value.map { (condition.headerName(in: headers), $0) } }
    }
}
