/// A document that renders itself as an OSS XML body, declaration included.
///
/// Lets a server answer any of them through one function (setting `Content-Type:
/// application/xml` once) and lets tests treat them alike.
public protocol OSSXMLDocument: Sendable {
    /// The complete body, starting with `<?xml version="1.0" encoding="UTF-8"?>`.
    var xml: String { get }
}

extension OSSListAllMyBucketsResult: OSSXMLDocument {}
extension OSSBucketInfo: OSSXMLDocument {}
extension OSSLocationConstraint: OSSXMLDocument {}
extension OSSListBucketResult: OSSXMLDocument {}
extension OSSInitiateMultipartUploadResult: OSSXMLDocument {}
extension OSSCompleteMultipartUploadResult: OSSXMLDocument {}
extension OSSListPartsResult: OSSXMLDocument {}
extension OSSListMultipartUploadsResult: OSSXMLDocument {}
extension OSSDeleteResult: OSSXMLDocument {}
extension OSSCopyResult: OSSXMLDocument {}
extension OSSCompleteMultipartUpload: OSSXMLDocument {}
extension OSSCORSConfiguration: OSSXMLDocument {}
extension OSSDeleteRequest: OSSXMLDocument {}
extension OSSCreateBucketConfiguration: OSSXMLDocument {}
extension OSSAccessControlPolicy: OSSXMLDocument {}
extension OSSTagging: OSSXMLDocument {}
extension OSSListVersionsResult: OSSXMLDocument {}
extension OSSListLiveChannelResult: OSSXMLDocument {}
extension OSSPostResponse: OSSXMLDocument {}
extension OSSPublicAccessBlockConfiguration: OSSXMLDocument {}
extension OSSBucketStat: OSSXMLDocument {}
extension OSSRestoreRequest: OSSXMLDocument {}
