/// Which parts ListParts should return.
struct PartListQuery: Sendable, Hashable {
    /// Only parts numbered above this.
    var partNumberMarker: Int
    /// At most this many parts.
    var maxParts: Int

    init(partNumberMarker: Int = 0, maxParts: Int = 1000) {
        self.partNumberMarker = partNumberMarker
        self.maxParts = maxParts
    }
}

/// One page of ListParts.
struct PartListing: Sendable, Hashable {
    var upload: MultipartUpload
    /// In ascending part-number order.
    var parts: [PartRecord]
    var isTruncated: Bool
    /// The last part number of this page (0 when empty): oss2 requires it even when not truncated.
    var nextPartNumberMarker: Int
}

/// Which unfinished uploads ListMultipartUploads should return.
///
/// Uploads are ordered by key, then initiation time. `uploadIDMarker` only counts together with
/// `keyMarker`: the page then starts after that upload of that key.
struct UploadListQuery: Sendable, Hashable {
    var prefix: String
    var delimiter: String?
    var keyMarker: String?
    var uploadIDMarker: String?
    var maxUploads: Int

    init(
        prefix: String = "", delimiter: String? = nil, keyMarker: String? = nil, uploadIDMarker: String? = nil,
        maxUploads: Int = 1000
    ) {
        self.prefix = prefix
        self.delimiter = delimiter.flatMap { $0.isEmpty ? nil : $0 }
        self.keyMarker = keyMarker.flatMap { $0.isEmpty ? nil : $0 }
        self.uploadIDMarker = uploadIDMarker.flatMap { $0.isEmpty ? nil : $0 }
        self.maxUploads = maxUploads
    }
}

/// One page of ListMultipartUploads.
struct UploadListing: Sendable, Hashable {
    var uploads: [MultipartUpload]
    var commonPrefixes: [String]
    var isTruncated: Bool
    /// Where the next page starts (`NextKeyMarker`, `NextUploadIdMarker`); empty when not truncated.
    var nextKeyMarker: String
    var nextUploadIDMarker: String
}
