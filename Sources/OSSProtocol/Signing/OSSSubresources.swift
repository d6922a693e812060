/// The query parameters that V1 signs (its "sub-resources"), which differ between the SDKs (§2.2).
///
/// A parameter outside the set is not signed. The server verifies with the ``union`` only: v2
/// signs its fixed ``v2`` set plus each operation's own sub-resource (`cors` for the CORS calls),
/// so every parameter that selects what a request does is covered by both SDKs' signatures. A
/// second attempt without the oss2-only names would let anyone append `cors` (or `live`, …) to a
/// captured signature and turn a listing into a CORS read, or a bucket write into a CORS write.
public enum OSSSubresources {
    /// The parameters signed by both SDKs and the v2 set (`SignerV1._subresource_key_set`).
    public static let v2: Set<String> = [
        "acl", "bucketInfo", "location", "stat", "delete", "append", "tagging", "objectMeta", "uploads",
        "uploadId", "partNumber", "security-token", "position", "response-content-type",
        "response-content-language", "response-expires", "response-cache-control",
        "response-content-disposition", "response-content-encoding", "restore", "callback", "callback-var",
        "versions", "versioning", "versionId", "sequential", "continuation-token", "regionList", "cloudboxes",
        "symlink", "resourceGroup",
        // Signed by v2 as the sub-resource of its own operation (SealAppendObject).
        "seal",
    ]

    /// The oss2 set (`ProviderAuth._subresource_key_set`).
    public static let oss2: Set<String> = [
        "response-content-type", "response-content-language", "response-cache-control", "logging",
        "response-content-encoding", "acl", "uploadId", "uploads", "partNumber", "group", "link", "delete",
        "website", "location", "objectInfo", "objectMeta", "response-expires", "response-content-disposition",
        "cors", "lifecycle", "restore", "qos", "referer", "stat", "bucketInfo", "append", "position",
        "security-token", "live", "comp", "status", "vod", "startTime", "endTime", "x-oss-process", "symlink",
        "callback", "callback-var", "tagging", "encryption", "versions", "versioning", "versionId", "policy",
        "requestPayment", "x-oss-traffic-limit", "qosInfo", "asyncFetch", "x-oss-request-payer", "sequential",
        "inventory", "inventoryId", "continuation-token", "worm", "wormId", "wormExtend", "replication",
        "replicationLocation", "replicationProgress", "transferAcceleration", "cname", "metaQuery",
        "resourceGroup", "accessPoint", "accessPointPolicy", "bucketArchiveDirectRead", "httpsConfig",
        "publicAccessBlock", "qosRequester", "redundancyTransition", "regionList", "requesterQosInfo", "resourcePool",
        "resourcePoolBuckets", "resourcePoolInfo", "style", "styleName", "x-oss-ac-forward-allow", "x-oss-ac-source-ip",
        "x-oss-ac-subnet-mask", "x-oss-ac-vpc-id", "x-oss-access-point-name", "x-oss-async-process",
        "x-oss-redundancy-transition-taskid", "x-oss-target-redundancy-type", "x-oss-write-get-object-response",
    ]

    /// Every parameter either SDK signs: what a client of ours signs and what a server tries first.
    public static let union: Set<String> = v2.union(oss2)
}
