import OSSProtocol

extension OSSClient {
    /// One page of objects (ListObjects V1). Keys travel URL-encoded (`encoding-type=url`) so
    /// that any key survives XML, and come back decoded.
    public func listObjects(_ request: OSSListObjectsRequest) async throws -> OSSListBucketResult {
        var wire = WireRequest("ListObjects", .GET, bucket: request.bucket)
        wire.query("prefix", request.prefix)
        wire.query("delimiter", request.delimiter)
        wire.query("marker", request.marker)
        wire.query("max-keys", request.maxKeys.map(String.init))
        wire.query("encoding-type", "url")
        let (_, body) = try await performCollecting(wire)
        return try body.decode("ListObjects", OSSListBucketResult.init(parsing:))
    }

    /// One page of objects (ListObjectsV2).
    public func listObjectsV2(_ request: OSSListObjectsV2Request) async throws -> OSSListBucketResult {
        var wire = WireRequest("ListObjectsV2", .GET, bucket: request.bucket)
        wire.query("list-type", "2")
        wire.query("prefix", request.prefix)
        wire.query("delimiter", request.delimiter)
        wire.query("start-after", request.startAfter)
        wire.query("continuation-token", request.continuationToken)
        wire.query("max-keys", request.maxKeys.map(String.init))
        if request.fetchOwner { wire.query("fetch-owner", "true") }
        wire.query("encoding-type", "url")
        let (_, body) = try await performCollecting(wire)
        return try body.decode("ListObjectsV2", OSSListBucketResult.init(parsing:))
    }

    /// One page of object versions (ListObjectVersions).
    public func listObjectVersions(_ request: OSSListObjectVersionsRequest) async throws -> OSSListVersionsResult {
        var wire = WireRequest("ListObjectVersions", .GET, bucket: request.bucket)
        wire.query("versions", "")
        wire.query("prefix", request.prefix)
        wire.query("delimiter", request.delimiter)
        wire.query("key-marker", request.keyMarker)
        wire.query("version-id-marker", request.versionIDMarker)
        wire.query("max-keys", request.maxKeys.map(String.init))
        wire.query("encoding-type", "url")
        let (_, body) = try await performCollecting(wire)
        return try body.decode("ListObjectVersions", OSSListVersionsResult.init(parsing:))
    }

    /// Every page of a version listing.
    public func listObjectVersionsPages(_ request: OSSListObjectVersionsRequest) -> OSSPaginator<OSSListVersionsResult> {
        OSSPaginator { token in
            var page = request
            if case .keyAndID(let key, let version) = token {
                page.keyMarker = key
                page.versionIDMarker = version
            }
            let result = try await listObjectVersions(page)
            guard result.isTruncated, let key = result.nextKeyMarker ?? result.entries.last?.key else { return (result, nil) }
            return (result, .keyAndID(key: key, id: result.nextVersionIDMarker ?? ""))
        }
    }

    /// Every page of a V1 listing, starting at `request.marker`.
    public func listObjectsPages(_ request: OSSListObjectsRequest) -> OSSPaginator<OSSListBucketResult> {
        OSSPaginator { token in
            var page = request
            if case .marker(let marker) = token { page.marker = marker }
            let result = try await listObjects(page)
            let next = result.isTruncated ? (result.nextMarker ?? result.contents.last?.key) : nil
            return (result, next.map(PageToken.marker))
        }
    }

    /// Every page of a V2 listing.
    public func listObjectsV2Pages(_ request: OSSListObjectsV2Request) -> OSSPaginator<OSSListBucketResult> {
        OSSPaginator { token in
            var page = request
            if case .marker(let continuation) = token { page.continuationToken = continuation }
            let result = try await listObjectsV2(page)
            return (result, result.isTruncated ? result.nextContinuationToken.map(PageToken.marker) : nil)
        }
    }

    /// Every page of buckets.
    public func listBucketsPages(_ request: OSSListBucketsRequest = OSSListBucketsRequest())
        -> OSSPaginator<OSSListAllMyBucketsResult>
    {
        OSSPaginator { token in
            var page = request
            if case .marker(let marker) = token { page.marker = marker }
            let result = try await listBuckets(page)
            let next = result.isTruncated ? (result.nextMarker ?? result.buckets.last?.name) : nil
            return (result, next.map(PageToken.marker))
        }
    }
}
