import Foundation
import OSSProtocol
import Testing

@Suite("XML response documents: exact output and round trips (§3.3–3.7)")
struct XMLResponseTests {
    let time = Date(timeIntervalSince1970: 1_710_491_400)
    let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    let owner = OSSOwner(id: "u")

    func data(_ text: String) -> Data { Data(text.utf8) }

    @Test("BucketInfo matches the §3.3 document and round-trips")
    func bucketInfo() throws {
        let info = OSSBucketInfo(
            name: "b", location: "oss-cn-hangzhou", creationDate: time, extranetEndpoint: "127.0.0.1:9000",
            intranetEndpoint: "127.0.0.1:9000", owner: owner, acl: .private)
        #expect(
            info.xml
                == declaration
                + "<BucketInfo><Bucket><AccessMonitor>Disabled</AccessMonitor><BlockPublicAccess>false</BlockPublicAccess>"
                + "<CreationDate>2024-03-15T08:30:00.000Z</CreationDate><CrossRegionReplication>Disabled</CrossRegionReplication>"
                + "<ExtranetEndpoint>127.0.0.1:9000</ExtranetEndpoint><IntranetEndpoint>127.0.0.1:9000</IntranetEndpoint>"
                + "<Location>oss-cn-hangzhou</Location><Name>b</Name><StorageClass>Standard</StorageClass>"
                + "<TransferAcceleration>Disabled</TransferAcceleration><Owner><ID>u</ID><DisplayName>u</DisplayName></Owner>"
                + "<AccessControlList><Grant>private</Grant></AccessControlList>"
                + "<ServerSideEncryptionRule><SSEAlgorithm>None</SSEAlgorithm></ServerSideEncryptionRule></Bucket></BucketInfo>"
        )
        #expect(try OSSBucketInfo(parsing: data(info.xml)) == info)
        var redundant = info
        redundant.dataRedundancyType = "ZRS"
        redundant.blockPublicAccess = true
        redundant.comment = "c"
        redundant.resourceGroupID = "rg-1"
        redundant.versioning = "Enabled"
        #expect(try OSSBucketInfo(parsing: data(redundant.xml)) == redundant)
    }

    @Test("LocationConstraint")
    func location() throws {
        let location = OSSLocationConstraint(location: "oss-cn-hangzhou")
        #expect(location.xml == declaration + "<LocationConstraint>oss-cn-hangzhou</LocationConstraint>")
        #expect(try OSSLocationConstraint(parsing: data(location.xml)) == location)
    }

    @Test("ListAllMyBucketsResult round-trips, truncated or not")
    func listBuckets() throws {
        let bucket = OSSListAllMyBucketsResult.Bucket(
            name: "b", creationDate: time, location: "oss-cn-hangzhou", extranetEndpoint: "e", intranetEndpoint: "i",
            region: "cn-hangzhou")
        let page = OSSListAllMyBucketsResult(
            prefix: "b", marker: "a", maxKeys: 1, isTruncated: true, nextMarker: "b", owner: owner, buckets: [bucket])
        #expect(page.xml.hasPrefix(declaration + "<ListAllMyBucketsResult><Prefix>b</Prefix><Marker>a</Marker><MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated><NextMarker>b</NextMarker><Owner>"))
        #expect(try OSSListAllMyBucketsResult(parsing: data(page.xml)) == page)
        let empty = OSSListAllMyBucketsResult(owner: owner, buckets: [])
        #expect(try OSSListAllMyBucketsResult(parsing: data(empty.xml)) == empty)
        // As OSS: a page that is not truncated carries no paging elements, whatever was asked.
        let whole = OSSListAllMyBucketsResult(prefix: "b", marker: "a", maxKeys: 5, owner: owner, buckets: [bucket])
        #expect(whole.xml.hasPrefix(declaration + "<ListAllMyBucketsResult><Owner>"))
        for element in ["Prefix", "Marker", "MaxKeys", "IsTruncated", "NextMarker"] {
            #expect(!whole.xml.contains("<\(element)>"), "\(element)")
        }
    }

    @Test("ListBucketResult V1 with encoding-type=url matches §3.4")
    func listObjectsV1() throws {
        let result = OSSListBucketResult(
            name: "b", prefix: "photos/", maxKeys: 100, delimiter: "/", encodingType: "url", isTruncated: true,
            nextMarker: "photos/b.jpg",
            contents: [
                OSSObjectSummary(
                    key: "photos/a.jpg", lastModified: time, etag: "\"5B3C1A2E053D763E1B002CC607C5A0FE\"", size: 344_606,
                    owner: owner)
            ],
            commonPrefixes: ["photos/2024/"])
        #expect(
            result.xml
                == declaration
                + "<ListBucketResult><Name>b</Name><Prefix>photos%2F</Prefix><Marker></Marker><MaxKeys>100</MaxKeys><Delimiter>%2F</Delimiter><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextMarker>photos%2Fb.jpg</NextMarker>"
                + "<Contents><Key>photos%2Fa.jpg</Key><LastModified>2024-03-15T08:30:00.000Z</LastModified><ETag>&quot;5B3C1A2E053D763E1B002CC607C5A0FE&quot;</ETag><Type>Normal</Type><Size>344606</Size><StorageClass>Standard</StorageClass><Owner><ID>u</ID><DisplayName>u</DisplayName></Owner></Contents>"
                + "<CommonPrefixes><Prefix>photos%2F2024%2F</Prefix></CommonPrefixes></ListBucketResult>")
        #expect(try OSSListBucketResult(parsing: data(result.xml)) == result)
    }

    @Test("ListBucketResult: spaces are %20, never +, and unencoded listings escape XML instead")
    func listObjectsEncoding() throws {
        let object = OSSObjectSummary(key: "a b+c&d", lastModified: time, etag: "\"E\"", size: 1)
        let encoded = OSSListBucketResult(name: "b", encodingType: "url", contents: [object])
        #expect(encoded.xml.contains("<Key>a%20b%2Bc%26d</Key>"))
        #expect(try OSSListBucketResult(parsing: data(encoded.xml)) == encoded)
        let plain = OSSListBucketResult(name: "b", contents: [object])
        #expect(plain.xml.contains("<Key>a b+c&amp;d</Key>"))
        #expect(try OSSListBucketResult(parsing: data(plain.xml)) == plain)
    }

    @Test("ListBucketResult V2: tokens, StartAfter, KeyCount, no owner")
    func listObjectsV2() throws {
        let result = OSSListBucketResult(
            version: .v2, name: "b", prefix: "a b/", startAfter: "a b/0", continuationToken: "tok", maxKeys: 2,
            delimiter: "/", encodingType: "url", isTruncated: true, nextContinuationToken: "next",
            contents: [OSSObjectSummary(key: "a b/1", lastModified: time, etag: "\"E\"", size: 5)],
            commonPrefixes: ["a b/c/"])
        let xml = result.xml
        #expect(xml.contains("<ContinuationToken>tok</ContinuationToken><StartAfter>a%20b%2F0</StartAfter>"))
        #expect(xml.contains("<NextContinuationToken>next</NextContinuationToken><KeyCount>2</KeyCount>"))
        #expect(!xml.contains("<Marker>"))
        #expect(!xml.contains("<Owner>"))
        #expect(try OSSListBucketResult(parsing: data(xml)) == result)
    }

    @Test("ListBucketResult: an object's CRC-64 is listed as HashCrc64ecma after StorageClass, and read back")
    func listedCRC() throws {
        let result = OSSListBucketResult(
            version: .v2, name: "b", contents: [
                OSSObjectSummary(key: "k", lastModified: time, etag: "\"E\"", size: 9, crc64: 11_051_210_869_376_104_954),
                OSSObjectSummary(key: "l", lastModified: time, etag: "\"E\"", size: 9),
            ])
        #expect(result.xml.contains("<StorageClass>Standard</StorageClass><HashCrc64ecma>11051210869376104954</HashCrc64ecma></Contents>"))
        #expect(result.xml.components(separatedBy: "<HashCrc64ecma>").count == 2, "an object without a CRC lists none")
        #expect(try OSSListBucketResult(parsing: data(result.xml)) == result)
    }

    @Test("ListBucketResult: oss2's required Contents fields are enforced when reading")
    func listObjectsRequired() {
        let body = "<ListBucketResult><Name>b</Name><Contents><Key>k</Key></Contents></ListBucketResult>"
        #expect((#expect(throws: OSSError.self) { try OSSListBucketResult(parsing: data(body)) })?.code == "MalformedXML")
        let badEncoding =
            "<ListBucketResult><Name>b</Name><EncodingType>url</EncodingType><Prefix>%zz</Prefix></ListBucketResult>"
        #expect(throws: OSSError.self) { try OSSListBucketResult(parsing: data(badEncoding)) }
    }

    @Test("InitiateMultipartUploadResult and CompleteMultipartUploadResult")
    func multipartResults() throws {
        let initiate = OSSInitiateMultipartUploadResult(bucket: "b", key: "a b", uploadID: "U1", encodingType: "url")
        #expect(
            initiate.xml
                == declaration
                + "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>a%20b</Key><UploadId>U1</UploadId><EncodingType>url</EncodingType></InitiateMultipartUploadResult>"
        )
        #expect(try OSSInitiateMultipartUploadResult(parsing: data(initiate.xml)) == initiate)
        let complete = OSSCompleteMultipartUploadResult(
            encodingType: "url", location: "http://127.0.0.1:9000/b/a%20b", bucket: "b", key: "a b", etag: "\"ABC-3\"")
        #expect(complete.xml.hasPrefix(declaration + "<CompleteMultipartUploadResult><EncodingType>url</EncodingType><Location>"))
        #expect(try OSSCompleteMultipartUploadResult(parsing: data(complete.xml)) == complete)
    }

    @Test("ListPartsResult carries HashCrc64ecma per part")
    func listParts() throws {
        let result = OSSListPartsResult(
            bucket: "b", key: "k", uploadID: "U", nextPartNumberMarker: 2, isTruncated: false,
            parts: [
                .init(partNumber: 1, lastModified: time, etag: "\"A\"", crc64: 9_427_277_473_487_083_924, size: 102_400),
                .init(partNumber: 2, lastModified: time, etag: "\"B\"", crc64: 15_456_447_387_727_083_107, size: 7),
            ])
        #expect(
            result.xml.contains(
                "<PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber><LastModified>2024-03-15T08:30:00.000Z</LastModified><ETag>&quot;A&quot;</ETag><HashCrc64ecma>9427277473487083924</HashCrc64ecma><Size>102400</Size></Part>"
            ))
        #expect(try OSSListPartsResult(parsing: data(result.xml)) == result)

        let withClass = OSSListPartsResult(
            bucket: "b", key: "k", uploadID: "U", storageClass: "IA", nextPartNumberMarker: 0, isTruncated: false, parts: [])
        #expect(withClass.xml.contains("<UploadId>U</UploadId><StorageClass>IA</StorageClass><PartNumberMarker>"))
        #expect(try OSSListPartsResult(parsing: data(withClass.xml)) == withClass)
    }

    @Test("ListMultipartUploadsResult always has the next markers")
    func listUploads() throws {
        let result = OSSListMultipartUploadsResult(
            bucket: "b", encodingType: "url", keyMarker: "a", nextKeyMarker: "c d", nextUploadIDMarker: "U2",
            delimiter: "/", prefix: "", maxUploads: 2, isTruncated: true,
            uploads: [.init(key: "c d", uploadID: "U2", initiated: time)], commonPrefixes: ["x/"])
        let xml = result.xml
        #expect(xml.contains("<NextKeyMarker>c%20d</NextKeyMarker><NextUploadIdMarker>U2</NextUploadIdMarker>"))
        #expect(xml.contains("<Initiated>2024-03-15T08:30:00.000Z</Initiated>"))
        #expect(try OSSListMultipartUploadsResult(parsing: data(xml)) == result)
        let empty = OSSListMultipartUploadsResult(bucket: "b")
        #expect(empty.xml.contains("<NextKeyMarker></NextKeyMarker><NextUploadIdMarker></NextUploadIdMarker>"))
        #expect(try OSSListMultipartUploadsResult(parsing: data(empty.xml)) == empty)
    }

    @Test("DeleteResult")
    func deleteResult() throws {
        let result = OSSDeleteResult(encodingType: "url", deleted: [.init(key: "a&b c"), .init(key: "v", versionID: "1")])
        #expect(
            result.xml
                == declaration
                + "<DeleteResult><EncodingType>url</EncodingType><Deleted><Key>a%26b%20c</Key></Deleted><Deleted><Key>v</Key><VersionId>1</VersionId></Deleted></DeleteResult>"
        )
        #expect(try OSSDeleteResult(parsing: data(result.xml)) == result)
        #expect(try OSSDeleteResult(parsing: data(OSSDeleteResult(deleted: []).xml)).deleted.isEmpty)
    }

    @Test("CopyObjectResult and CopyPartResult differ in root and order")
    func copyResults() throws {
        let object = OSSCopyResult(kind: .object, etag: "\"E\"", lastModified: time)
        #expect(
            object.xml
                == declaration
                + "<CopyObjectResult><ETag>&quot;E&quot;</ETag><LastModified>2024-03-15T08:30:00.000Z</LastModified></CopyObjectResult>")
        let part = OSSCopyResult(kind: .part, etag: "\"E\"", lastModified: time)
        #expect(
            part.xml
                == declaration
                + "<CopyPartResult><LastModified>2024-03-15T08:30:00.000Z</LastModified><ETag>&quot;E&quot;</ETag></CopyPartResult>")
        #expect(try OSSCopyResult(parsing: data(object.xml), kind: .object) == object)
        #expect(try OSSCopyResult(parsing: data(part.xml), kind: .part) == part)
        #expect(throws: OSSError.self) { try OSSCopyResult(parsing: data(part.xml), kind: .object) }
    }
}
