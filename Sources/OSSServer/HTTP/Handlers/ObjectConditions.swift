import OSSProtocol

/// The conditional headers of a GET or HEAD (§3.1), checked in RFC 9110 order (a copy's source
/// conditions are storage's ``CopySourceConditions``). ETags compare as ``OSSETag`` says: without
/// quotes, case-insensitively.
enum ObjectConditions {
    /// The first condition that fails, by header name.
    enum Failure: Equatable {
        /// `If-Match` or `If-Unmodified-Since`: 412.
        case precondition(String)
        /// `If-None-Match` or `If-Modified-Since`: 304.
        case notModified(String)
    }

    /// Checks the request's conditions against an object; HTTP dates compare in whole seconds.
    static func failure(of call: OSSCall, for record: ObjectRecord) -> Failure? {
        let modified = record.lastModified.timeIntervalSince1970.rounded(.down)
        func date(_ name: String) -> Double? {
            call.header(name).flatMap(OSSDateFormat.date(httpDate:))?.timeIntervalSince1970
        }
        if let match = call.header("If-Match"), !OSSETag.header(match, matches: record.etag) {
            return .precondition("If-Match")
        }
        if let since = date("If-Unmodified-Since"), modified > since { return .precondition("If-Unmodified-Since") }
        if let noneMatch = call.header("If-None-Match"), OSSETag.header(noneMatch, matches: record.etag) {
            return .notModified("If-None-Match")
        }
        if let since = date("If-Modified-Since"), modified <= since { return .notModified("If-Modified-Since") }
        return nil
    }
}
