import OSSClient
import Testing

@Suite("OSSClientError accessors")
struct ClientErrorTests {
    @Test("each accessor answers for its own kind of failure only")
    func accessors() {
        let damaged = OSSClientError.service(OSSServiceError(OSSError.damagedObject(key: "k", reason: "block 0")))
        let missing = OSSClientError.service(OSSServiceError(.noSuchKey("k")))
        let mismatch = OSSClientError.crcMismatch(
            OSSCRCMismatch(operation: "GetObject", bucket: "b", key: "k", serverCRC: 1, clientCRC: 2))
        let transport = OSSClientError.transport(OSSTransportFailure(underlying: CancellationError(), attempts: 3))

        #expect(damaged.isDamagedObject && damaged.serviceCode == "InternalError")
        #expect(missing.serviceCode == "NoSuchKey" && missing.serviceError?.status == 404 && !missing.isDamagedObject)
        #expect(mismatch.isCRCMismatch && mismatch.serviceCode == nil && !mismatch.isTransportFailure)
        #expect(transport.isTransportFailure && !transport.isCRCMismatch && transport.serviceError == nil)

        let file = OSSClientError.localFile(path: "/x", reason: "No such file or directory")
        #expect(file.code == .localFile && file.code != .invalidArgument && file.path == "/x")
        #expect(file.description == "/x: No such file or directory")
        #expect(OSSClientError.invalidArgument("pick a key").description == "Invalid argument: pick a key")
        #expect(mismatch.code.description == "crcMismatch")
    }
}
