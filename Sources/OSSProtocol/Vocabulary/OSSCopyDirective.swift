/// Where the destination of a CopyObject takes an attribute group from: the metadata directive
/// (`x-oss-metadata-directive`: content headers, user metadata, storage class, ACL) and the
/// tagging directive (`x-oss-tagging-directive`: tags).
///
/// Only the wire word lives here; what a `REPLACE` carries differs by side (the SDK's write
/// options, the server's stored attributes) and is modelled there.
public enum OSSCopyDirective: String, Sendable, Hashable, CaseIterable {
    /// `COPY`: the source's (the default when the header is absent).
    case copy = "COPY"
    /// `REPLACE`: the request's.
    case replace = "REPLACE"

    /// A header value in any letter case, as OSS accepts it; `nil` for anything else.
    public init?(header value: String) {
        self.init(rawValue: value.uppercased())
    }
}
