/// ListObjects (V1): one page of keys, marker-based.
public struct OSSListObjectsRequest: Sendable {
    /// The bucket.
    public var bucket: String
    /// Only keys starting with this.
    public var prefix: String?
    /// Group keys up to the next delimiter (usually `/`) into common prefixes.
    public var delimiter: String?
    /// Start after this key (exclusive).
    public var marker: String?
    /// Page size, at most 1000 (server default 100); keys and common prefixes both count.
    public var maxKeys: Int?

    /// Creates a request.
    public init(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, marker: String? = nil, maxKeys: Int? = nil
    ) {
        self.bucket = bucket
        self.prefix = prefix
        self.delimiter = delimiter
        self.marker = marker
        self.maxKeys = maxKeys
    }
}

/// ListObjectsV2: one page of keys, continuation-token based.
public struct OSSListObjectsV2Request: Sendable {
    /// The bucket.
    public var bucket: String
    /// Only keys starting with this.
    public var prefix: String?
    /// Group keys up to the next delimiter into common prefixes.
    public var delimiter: String?
    /// Start after this key (exclusive); ignored when a continuation token is given.
    public var startAfter: String?
    /// The previous page's `NextContinuationToken`.
    public var continuationToken: String?
    /// Page size, at most 1000.
    public var maxKeys: Int?
    /// Include each object's owner.
    public var fetchOwner: Bool

    /// Creates a request.
    public init(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, startAfter: String? = nil,
        continuationToken: String? = nil, maxKeys: Int? = nil, fetchOwner: Bool = false
    ) {
        self.bucket = bucket
        self.prefix = prefix
        self.delimiter = delimiter
        self.startAfter = startAfter
        self.continuationToken = continuationToken
        self.maxKeys = maxKeys
        self.fetchOwner = fetchOwner
    }
}

/// ListObjectVersions: one page of object versions and delete markers, by key, newest first. On a
/// bucket whose versioning was never on, each object is listed once, as its `null` version.
public struct OSSListObjectVersionsRequest: Sendable {
    /// The bucket.
    public var bucket: String
    /// Only keys starting with this.
    public var prefix: String?
    /// Group keys up to the next delimiter into common prefixes.
    public var delimiter: String?
    /// Start after this key (with ``versionIDMarker``, after that version of it).
    public var keyMarker: String?
    /// With ``keyMarker``: the version to continue after.
    public var versionIDMarker: String?
    /// Page size, at most 1000 (server default 100).
    public var maxKeys: Int?

    /// Creates a request.
    public init(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, keyMarker: String? = nil,
        versionIDMarker: String? = nil, maxKeys: Int? = nil
    ) {
        self.bucket = bucket
        self.prefix = prefix
        self.delimiter = delimiter
        self.keyMarker = keyMarker
        self.versionIDMarker = versionIDMarker
        self.maxKeys = maxKeys
    }
}
