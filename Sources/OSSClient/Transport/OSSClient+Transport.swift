import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OSSProtocol

extension OSSClient {
    /// Sends a request with the retry policy and hands the successful response to `consume`,
    /// which reads the body; a retry repeats both. Errors come out as ``OSSClientError`` or
    /// `CancellationError`.
    func perform<T: Sendable>(
        _ request: WireRequest,
        consume: (WireResponse) async throws -> T
    ) async throws -> T {
        let policy = configuration.retry
        let sentBytes = request.reportsSent.map { AttemptSentBytes(report: $0) }
        var request = request
        request.reportsSent = sentBytes?.reporter
        var attempt = 0
        while true {
            attempt += 1
            do {
                try Task.checkCancellation()
                let response = try await send(request)
                return try await consume(response)
            } catch {
                sentBytes?.attemptFailed()
                let failure = Self.classify(error, attempts: attempt, endpoint: configuration.endpoint.origin)
                guard attempt < policy.maxAttempts, request.isIdempotent, request.body.isReplayable,
                    Self.isRetryable(failure)
                else { throw failure }
                let delay = policy.delay(beforeRetry: attempt)
                logger.debug("retrying \(request.operation) after \(delay): \(failure)")
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Sends a request whose body the caller does not need, and returns its headers.
    @discardableResult
    func performDiscardingBody(_ request: WireRequest) async throws -> WireResponse {
        try await perform(request) { response in
            for try await _ in response.body {}
            return response
        }
    }

    /// Sends a request and returns the whole body (bounded) with the response.
    func performCollecting(_ request: WireRequest) async throws -> (WireResponse, ByteBuffer) {
        try await perform(request) { response in (response, try await response.collect()) }
    }

    /// Signs and executes one attempt. Error statuses are read and thrown as service errors.
    private func send(_ request: WireRequest) async throws -> WireResponse {
        if configuration.endpoint.isCNAME, request.bucket == nil {
            throw OSSClientError.invalidArgument(
                "\(request.operation) cannot go through a CNAME endpoint, which is bound to one bucket; use the service endpoint.")
        }
        var signed = OSSRequest(
            method: request.method.rawValue, bucket: request.bucket, key: request.key, query: request.query,
            headers: request.headers)
        if request.isSigned {
            let credentials = try await currentCredentials()
            switch configuration.signatureVersion {
            case .v1: OSSSignatureV1.sign(&signed, credentials: credentials, date: Date())
            case .v4: OSSSignatureV4.sign(&signed, credentials: credentials, region: configuration.region, date: Date())
            }
        }
        var http = HTTPClientRequest(url: configuration.endpoint.url(for: signed))
        http.method = request.method
        for field in signed.headers { http.headers.add(name: field.name, value: field.value) }
        http.body = request.body.httpBody(reportingSent: request.reportsSent)
        let deadline = configuration.timeouts.request.map { NIODeadline.now() + TimeAmount($0) } ?? .distantFuture
        let response = try await httpClient.execute(http, deadline: deadline, logger: nil)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw OSSClientError.service(
                OSSServiceError(status: status, body: Array(buffer: body)) { response.headers.first(name: $0) })
        }
        return WireResponse(status: status, headers: response.headers, body: response.body)
    }

    /// The provider's credentials now, its failures as ``OSSClientError/credentialsUnavailable(_:)``.
    func currentCredentials() async throws -> OSSCredentials {
        do {
            return try await configuration.credentials.credentials()
        } catch let error as OSSClientError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // A provider's own failure is not a network failure: never retried as one.
            throw OSSClientError.credentialsUnavailable("the credentials provider failed: \(error)")
        }
    }

    /// Maps whatever an attempt threw to the SDK's error space.
    static func classify(_ error: any Error, attempts: Int, endpoint: String? = nil) -> any Error {
        switch error {
        case is CancellationError, is OSSClientError:
            return error
        case let http as HTTPClientError where http == .cancelled:
            return CancellationError()
        default:
            if Task.isCancelled { return CancellationError() }
            return OSSClientError.transport(OSSTransportFailure(underlying: error, attempts: attempts, endpoint: endpoint))
        }
    }

    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? OSSClientError else { return false }
        if let transport = error.transportFailure { return transport.isRetryable }
        return error.serviceError.map(OSSRetryPolicy.isRetryable) ?? false
    }
}
