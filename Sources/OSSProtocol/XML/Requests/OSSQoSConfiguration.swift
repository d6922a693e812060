import Foundation

/// PutBucketQoSInfo's body and GetBucketQosInfo's answer: the bandwidth (Gbit/s) and request-rate
/// limits of a bucket, each `-1` for "no limit of its own" (the default of any element left
/// out) or `0` for "this kind of access is refused", as OSS documents them.
public struct OSSQoSConfiguration: Sendable, Hashable {
    /// The nine limits, in the order of the document.
    public static let names = [
        "TotalUploadBandwidth", "IntranetUploadBandwidth", "ExtranetUploadBandwidth", "TotalDownloadBandwidth",
        "IntranetDownloadBandwidth", "ExtranetDownloadBandwidth", "TotalQps", "IntranetQps", "ExtranetQps",
    ]

    /// Limit name → value; every one of ``names`` is present.
    public var limits: [String: Int]

    /// No limits: every value `-1`.
    public init() {
        limits = Dictionary(uniqueKeysWithValues: Self.names.map { ($0, -1) })
    }

    /// Reads a document.
    /// - Throws: `MalformedXML` for another root; `InvalidArgument` for a value that is not an
    ///   integer of at least -1, or an intranet or extranet limit above its total.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "QoSConfiguration")
        self.init()
        for name in Self.names {
            guard let text = root.text(name) else { continue }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= -1 else {
                throw .invalidArgument("\(name) must be an integer of at least -1.", name: name, value: text)
            }
            limits[name] = value
        }
        for kind in ["UploadBandwidth", "DownloadBandwidth", "Qps"] {
            guard let total = limits["Total" + kind], total >= 0 else { continue }
            for part in ["Intranet", "Extranet"] where (limits[part + kind] ?? -1) > total {
                throw .invalidArgument(
                    "\(part)\(kind) cannot exceed Total\(kind) (\(total)).", name: part + kind,
                    value: String(limits[part + kind] ?? -1))
            }
        }
    }

    /// The document.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("QoSConfiguration") { writer in
            for name in Self.names { writer.element(name, String(limits[name] ?? -1)) }
        }
        return writer.output
    }
}

extension OSSQoSConfiguration: OSSXMLDocument {}

/// The storage capacity of a bucket (`?qos`, as the C SDK's `oss_put_bucket_storage_capacity`
/// sends it): `<BucketUserQos><StorageCapacity>GB</StorageCapacity></BucketUserQos>`, `-1` for
/// no limit.
public struct OSSBucketUserQos: Sendable, Hashable {
    /// In GB; `-1` for none.
    public var storageCapacity: Int

    public init(storageCapacity: Int = -1) {
        self.storageCapacity = storageCapacity
    }

    /// Reads a document.
    /// - Throws: `MalformedXML` for another root; `InvalidArgument` for a capacity that is not an
    ///   integer of at least -1.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "BucketUserQos")
        let text = root.text("StorageCapacity") ?? "-1"
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= -1 else {
            throw .invalidArgument("StorageCapacity must be an integer of at least -1.", name: "StorageCapacity", value: text)
        }
        storageCapacity = value
    }

    /// The document.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("BucketUserQos") { $0.element("StorageCapacity", String(storageCapacity)) }
        return writer.output
    }
}

extension OSSBucketUserQos: OSSXMLDocument {}
