/// How a client puts the bucket into the URL (§1.1).
public enum OSSAddressingStyle: Sendable, Hashable {
    /// `/<bucket>/<key>`: needed for IP endpoints and `localhost`.
    case path
    /// `<bucket>.<host>/<key>`: the bucket is in the host name.
    case virtualHosted
}

extension OSSRequest {
    /// The percent-encoded path a client sends, suitable for `URLComponents.percentEncodedPath`
    /// (so that Foundation neither re-encodes nor normalises `..`).
    ///
    /// Every key byte outside `A-Za-z0-9-_.~` is encoded, `/` included, as oss2 does; the
    /// signature does not depend on it because signatures use the decoded key.
    /// Bucket requests end in `/` in path style; service requests are `/`.
    public func encodedPath(style: OSSAddressingStyle) -> String {
        let keyPart = key.map { OSSPercentEncoding.encode($0) } ?? ""
        guard let bucket, style == .path else { return "/" + keyPart }
        return "/" + bucket + "/" + keyPart
    }

    /// The percent-encoded query string in item order (no leading `?`), `k` for empty values.
    public var encodedQuery: String {
        OSSQueryItem.encode(query)
    }
}
