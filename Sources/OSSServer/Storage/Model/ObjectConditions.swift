import Foundation
import OSSProtocol

/// The four HTTP conditions on an object, evaluated one way for every request that carries them:
/// GetObject and HeadObject (`If-Match`, `If-None-Match`, `If-Modified-Since`,
/// `If-Unmodified-Since`) and the source of CopyObject and UploadPartCopy
/// (`x-oss-copy-source-if-*`, checked inside the transaction that copies, so that the object
/// copied is the object that passed them).
///
/// Precedence is RFC 9110 §13.2.2's: the ETag conditions first, and a date condition counts only
/// when its ETag counterpart is absent (`ifUnmodifiedSince` without `ifMatch`, `ifModifiedSince`
/// without `ifNoneMatch`). ETags compare as ``OSSETag`` says: without quotes, case-insensitively,
/// with `*` and lists as in `If-Match`; dates in whole seconds, as HTTP dates have.
struct ObjectConditions: Sendable, Hashable {
    var ifMatch: String?
    var ifNoneMatch: String?
    var ifModifiedSince: Date?
    var ifUnmodifiedSince: Date?

    init(
        ifMatch: String? = nil, ifNoneMatch: String? = nil, ifModifiedSince: Date? = nil,
        ifUnmodifiedSince: Date? = nil
    ) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifUnmodifiedSince = ifUnmodifiedSince
    }

    /// No conditions: any object passes.
    static let none = ObjectConditions()

    /// Which header set the conditions were read from.
    enum Headers: Sendable {
        /// `If-Match` … on a GET or HEAD.
        case request
        /// `x-oss-copy-source-if-match` … on a copy.
        case copySource
    }

    /// One of the four conditions, to say which failed.
    enum Condition: String, Sendable, Hashable, CaseIterable {
        case ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince

        /// The header that carries it in `headers`.
        func headerName(in headers: Headers) -> String {
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
        var meansNotModified: Bool { self == .ifNoneMatch || self == .ifModifiedSince }
    }

    /// Reads the conditions of one header set; an unparsable date is ignored, as HTTP does.
    init(_ headers: Headers, from header: (String) -> String?) {
        func value(_ condition: Condition) -> String? { header(condition.headerName(in: headers)) }
        func date(_ condition: Condition) -> Date? { value(condition).flatMap(OSSDateFormat.date(httpDate:)) }
        self.init(
            ifMatch: value(.ifMatch), ifNoneMatch: value(.ifNoneMatch), ifModifiedSince: date(.ifModifiedSince),
            ifUnmodifiedSince: date(.ifUnmodifiedSince))
    }

    /// The condition `object` fails, or `nil` if it passes them all.
    func failure(for object: ObjectRecord) -> Condition? {
        let modified = object.lastModified.timeIntervalSince1970.rounded(.down)
        if let ifMatch {
            if !OSSETag.header(ifMatch, matches: object.etag) { return .ifMatch }
        } else if let ifUnmodifiedSince, modified > ifUnmodifiedSince.timeIntervalSince1970 {
            return .ifUnmodifiedSince
        }
        if let ifNoneMatch {
            if OSSETag.header(ifNoneMatch, matches: object.etag) { return .ifNoneMatch }
        } else if let ifModifiedSince, modified <= ifModifiedSince.timeIntervalSince1970 {
            return .ifModifiedSince
        }
        return nil
    }
}
