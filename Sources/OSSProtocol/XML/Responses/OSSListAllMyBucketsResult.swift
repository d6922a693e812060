import Foundation

/// The ListBuckets response (§3.3), root `ListAllMyBucketsResult`.
public struct OSSListAllMyBucketsResult: Sendable, Hashable {
    /// One `<Bucket>`; oss2 requires every field but ``region``.
    public struct Bucket: Sendable, Hashable {
        /// `Name`.
        public var name: String
        /// `CreationDate`.
        public var creationDate: Date
        /// Such as `oss-cn-hangzhou`.
        public var location: String
        /// `ExtranetEndpoint`.
        public var extranetEndpoint: String
        /// `IntranetEndpoint`.
        public var intranetEndpoint: String
        /// `StorageClass`, such as `Standard`.
        public var storageClass: OSSStorageClass
        /// Such as `cn-hangzhou`; optional for the SDKs.
        public var region: String?

        /// Creates a bucket entry.
        public init(
            name: String, creationDate: Date, location: String, extranetEndpoint: String,
            intranetEndpoint: String, storageClass: OSSStorageClass = .standard, region: String? = nil
        ) {
            self.name = name
            self.creationDate = creationDate
            self.location = location
            self.extranetEndpoint = extranetEndpoint
            self.intranetEndpoint = intranetEndpoint
            self.storageClass = storageClass
            self.region = region
        }
    }

    /// `Prefix` (decoded).
    public var prefix: String
    /// `Marker` (decoded).
    public var marker: String
    /// Default 100, at most 1000.
    public var maxKeys: Int
    /// `IsTruncated`.
    public var isTruncated: Bool
    /// Required when ``isTruncated``.
    public var nextMarker: String?
    /// `Owner`.
    public var owner: OSSOwner
    /// The `Buckets/Bucket` entries.
    public var buckets: [Bucket]

    /// Creates a result.
    public init(
        prefix: String = "", marker: String = "", maxKeys: Int = 100, isTruncated: Bool = false,
        nextMarker: String? = nil, owner: OSSOwner, buckets: [Bucket]
    ) {
        self.prefix = prefix
        self.marker = marker
        self.maxKeys = maxKeys
        self.isTruncated = isTruncated
        self.nextMarker = nextMarker
        self.owner = owner
        self.buckets = buckets
    }

    /// The response body.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("ListAllMyBucketsResult") { writer in
            // As OSS: the paging elements only on a truncated page.
            if isTruncated {
                writer.element("Prefix", prefix)
                writer.element("Marker", marker)
                writer.element("MaxKeys", maxKeys)
                writer.element("IsTruncated", isTruncated)
                writer.element("NextMarker", ifPresent: nextMarker)
            }
            owner.write(to: &writer)
            writer.element("Buckets") { writer in
                for bucket in buckets {
                    writer.element("Bucket") { writer in
                        writer.element("CreationDate", OSSDateFormat.iso8601(bucket.creationDate))
                        writer.element("ExtranetEndpoint", bucket.extranetEndpoint)
                        writer.element("IntranetEndpoint", bucket.intranetEndpoint)
                        writer.element("Location", bucket.location)
                        writer.element("Name", bucket.name)
                        writer.element("Region", ifPresent: bucket.region)
                        writer.element("StorageClass", bucket.storageClass.rawValue)
                    }
                }
            }
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root or a missing required element.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "ListAllMyBucketsResult")
        var buckets: [Bucket] = []
        for node in root.child("Buckets")?.children("Bucket") ?? [] {
            buckets.append(
                Bucket(
                    name: try node.requiredText("Name"), creationDate: try node.requiredDate("CreationDate"),
                    location: try node.requiredText("Location"),
                    extranetEndpoint: try node.requiredText("ExtranetEndpoint"),
                    intranetEndpoint: try node.requiredText("IntranetEndpoint"),
                    storageClass: OSSStorageClass(rawValue: try node.requiredText("StorageClass")), region: node.text("Region")))
        }
        self.init(
            prefix: root.text("Prefix") ?? "", marker: root.text("Marker") ?? "",
            maxKeys: try root.int("MaxKeys") ?? 100, isTruncated: try root.bool("IsTruncated") ?? false,
            nextMarker: root.text("NextMarker"), owner: try OSSOwner(node: root.required("Owner")), buckets: buckets)
    }
}
