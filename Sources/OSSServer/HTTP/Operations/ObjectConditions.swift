import OSSProtocol

/// The conditional headers of a GET or HEAD (§3.1), or of a copy's source (§3.5), checked in
/// RFC 9110 order. ETags compare as ``OSSETag`` says: without quotes, case-insensitively.
struct ObjectConditions: Sendable {
    var ifMatch: String
    var ifUnmodifiedSince: String
    var ifNoneMatch: String
    var ifModifiedSince: String

    static let read = ObjectConditions(
        ifMatch: "If-Match", ifUnmodifiedSince: "If-Unmodified-Since", ifNoneMatch: "If-None-Match",
        ifModifiedSince: "If-Modified-Since")
    static let copySource = ObjectConditions(
        ifMatch: OSSHeader.copySourceIfMatch, ifUnmodifiedSince: OSSHeader.copySourceIfUnmodifiedSince,
        ifNoneMatch: OSSHeader.copySourceIfNoneMatch, ifModifiedSince: OSSHeader.copySourceIfModifiedSince)

    /// The first condition that fails, by header name.
    enum Failure: Equatable {
        /// `If-Match` or `If-Unmodified-Since`.
        case precondition(String)
        /// `If-None-Match` or `If-Modified-Since`: a read answers 304, a copy 412.
        case notModified(String)

        var header: String {
            switch self {
            case .precondition(let name), .notModified(let name): name
            }
        }
    }

    /// Checks the request's conditions against an object; HTTP dates compare in whole seconds.
    func failure(of call: OSSCall, for record: ObjectRecord) -> Failure? {
        let modified = record.lastModified.timeIntervalSince1970.rounded(.down)
        func date(_ name: String) -> Double? {
            call.header(name).flatMap(OSSDateFormat.date(httpDate:))?.timeIntervalSince1970
        }
        if let match = call.header(ifMatch), !OSSETag.header(match, matches: record.etag) { return .precondition(ifMatch) }
        if let since = date(ifUnmodifiedSince), modified > since { return .precondition(ifUnmodifiedSince) }
        if let noneMatch = call.header(ifNoneMatch), OSSETag.header(noneMatch, matches: record.etag) {
            return .notModified(ifNoneMatch)
        }
        if let since = date(ifModifiedSince), modified <= since { return .notModified(ifModifiedSince) }
        return nil
    }
}
