import Foundation
import OSSProtocol

/// Where the destination of a CopyObject takes its content headers and user metadata from
/// (`x-oss-metadata-directive`).
enum MetadataDirective: Sendable, Hashable {
    /// The source's (`COPY`, the default).
    case copy
    /// These attributes (`REPLACE`): content headers, user metadata, storage class and ACL come
    /// from the request. Tags still follow the ``TaggingDirective``.
    case replace(ObjectAttributes)
}

/// Where the destination of a CopyObject takes its tags from (`x-oss-tagging-directive`),
/// whatever the ``MetadataDirective``.
enum TaggingDirective: Sendable, Hashable {
    /// The source's (`COPY`, the default).
    case copy
    /// These (`REPLACE`, with `x-oss-tagging`); checked against ``ObjectTags``.
    case replace([String: String])
}

/// The `x-oss-copy-source-if-*` conditions of a CopyObject, checked against the source inside the
/// transaction that copies it, so that the object copied is the object that passed them.
struct CopySourceConditions: Sendable, Hashable {
    /// Copy only if the source's ETag matches: quotes and letter case are ignored, and `*` or a
    /// list work as in `If-Match`.
    var ifMatch: String?
    /// Copy only if the source's ETag differs (`*` or a list as in `If-None-Match`).
    var ifNoneMatch: String?
    /// Copy only if the source changed after this time (HTTP dates have whole seconds).
    var ifModifiedSince: Date?
    /// Copy only if the source did not change after this time.
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

    /// No conditions: copy whatever the source is.
    static let none = CopySourceConditions()

    /// One of the four conditions, to say which failed.
    enum Condition: String, Sendable, Hashable, CaseIterable {
        case ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince

        /// The request header that carries it.
        var headerName: String {
            switch self {
            case .ifMatch: OSSHeader.copySourceIfMatch
            case .ifNoneMatch: OSSHeader.copySourceIfNoneMatch
            case .ifModifiedSince: OSSHeader.copySourceIfModifiedSince
            case .ifUnmodifiedSince: OSSHeader.copySourceIfUnmodifiedSince
            }
        }
    }

    /// The condition `source` fails, or `nil` if it passes them all.
    ///
    /// As in RFC 9110 §13.2.2, a date condition counts only when its ETag counterpart is absent:
    /// `ifUnmodifiedSince` without `ifMatch`, `ifModifiedSince` without `ifNoneMatch`.
    func failure(for source: ObjectRecord) -> Condition? {
        let modified = source.lastModified.timeIntervalSince1970.rounded(.down)
        if let ifMatch {
            if !OSSETag.header(ifMatch, matches: source.etag) { return .ifMatch }
        } else if let ifUnmodifiedSince, modified > ifUnmodifiedSince.timeIntervalSince1970 {
            return .ifUnmodifiedSince
        }
        if let ifNoneMatch {
            if OSSETag.header(ifNoneMatch, matches: source.etag) { return .ifNoneMatch }
        } else if let ifModifiedSince, modified <= ifModifiedSince.timeIntervalSince1970 {
            return .ifModifiedSince
        }
        return nil
    }
}
