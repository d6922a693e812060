import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// A PostgreSQL connection pool and the transactions the metadata store runs on it.
///
/// Writes come in two isolation levels. Writes that name locks (``write(locking:_:)``: an object
/// key, an upload, a bucket) run `READ COMMITTED`: they take the advisory lock of everything they
/// read to decide and then change, so that every statement sees the latest commit of those rows
/// and no other writer of them runs meanwhile. What they share with writes of other names is
/// kept by the schema's constraints (an object's bucket) and by two rules on blob references: a
/// write that adds a reference to a blob holds the lock of a row that refers to it (a copy locks
/// its source key, a complete its upload), and a write that drops references locks each blob
/// before it looks for the last one (``PostgresMetadataStore/unreferenced(_:_:)``). Under
/// `SERIALIZABLE`, the index pages that writers of neighbouring new keys share made 4 KiB PUTs at
/// 16 connections fail serialization about once each (3,440 rollbacks for 3,300 PUTs) and run
/// again. Writes that name nothing run `SERIALIZABLE`.
///
/// Every transaction is retried as a whole when PostgreSQL says it may be (a serialization failure
/// or deadlock, a unique violation two racing inserts can cause, a row a foreign key needs that a
/// racing write removed), and when the
/// connection is lost before `COMMIT` was sent: the server then rolled it back, so running it again
/// is the same as running it once. A connection lost while `COMMIT` was in flight leaves the outcome
/// unknown, so that write is not retried and answers 503, as does a database that cannot be reached
/// within ``deadline``: a request never hangs on it.
///
/// The deadline bounds the wait for a connection. A transaction that began is given up only when
/// it has had no answer for ``answerLimit`` (20 s by default; seen: a connection PostgresNIO never
/// answered again after its primary crashed, which hung the request for good): the connection is
/// closed and the request answers 503, a write's outcome unknown. The limit runs from the last
/// answer, not from `BEGIN`: a lifecycle pass that expires a thousand objects in one transaction
/// sends thousands of statements, and under load took longer than 20 s while every one of them
/// was answered. That leaves no blob behind and deletes none a
/// commit needs: a failed write's blob goes only through its pending record
/// (``SharedBlobStore``), a row the abandoned transaction either claimed in its commit or still
/// holds locked until the server ends it.
///
/// Given several servers (a primary and its standbys), transactions go to one of them, the
/// primary as far as this node knows. When it cannot be reached, cuts the connection, or says it
/// is read-only, the node moves on to the next server, and before its first transaction there
/// asks it whether it is a standby (`pg_is_in_recovery()`), moving on again if so: once an
/// operator promotes a standby, every node finds it within a deadline or two, and no node ever
/// reads from a standby that may lag behind. Acknowledged writes survive the promotion when the
/// primary replicates synchronously (`synchronous_standby_names`), as docs/scale-out.md says.
final class PostgresTransactions: Sendable {
    /// One client per server, in the order configured.
    let clients: [PostgresClient]
    let logger: Logger
    /// How long a transaction may wait for a connection, over all its attempts.
    let deadline: Duration
    /// How long a transaction that began may go without an answer before it is given up.
    let answerLimit: Duration
    /// Where each `COMMIT`'s duration goes.
    let timings: StorageTimings
    private let runners: [Task<Void, Never>]
    private let localLocks = KeyedLocks()
    private let primary: NIOLockedValueBox<Primary>

    /// The server transactions go to, and whether it has been seen to be no standby.
    private struct Primary {
        var index: Int
        var confirmed: Bool
    }

    init(
        configurations: [PostgresClient.Configuration], deadline: Duration, answerLimit: Duration,
        timings: StorageTimings = StorageTimings(), logger: Logger
    ) {
        precondition(!configurations.isEmpty, "no PostgreSQL server to connect to")
        clients = configurations.map { PostgresClient(configuration: $0, backgroundLogger: logger) }
        self.logger = logger
        self.deadline = deadline
        self.answerLimit = answerLimit
        self.timings = timings
        runners = clients.map { client in Task { await client.run() } }
        // With one server there is nothing to choose: no question is asked.
        primary = NIOLockedValueBox(Primary(index: 0, confirmed: configurations.count == 1))
    }

    deinit {
        // A client closes its connections when its `run` is cancelled.
        for runner in runners { runner.cancel() }
    }

    /// The client of the server transactions go to now.
    var client: PostgresClient { clients[primary.withLockedValue { $0.index }] }

    /// After a failure on server `index` that says it may be gone or no primary: the next
    /// server, unless another transaction moved on already.
    private func moveOn(from index: Int, because error: any Error) {
        guard clients.count > 1 else { return }
        let moved = primary.withLockedValue { primary in
            guard primary.index == index else { return false }
            primary = Primary(index: (index + 1) % clients.count, confirmed: false)
            return true
        }
        if moved {
            logger.warning(
                "metadata server \(index + 1) of \(clients.count) unusable, trying the next",
                metadata: ["error": "\(Self.describe(error))"])
        }
    }

    private func confirm(_ index: Int) {
        primary.withLockedValue { primary in
            if primary.index == index { primary.confirmed = true }
        }
    }

    /// How a body runs on its connection.
    enum Kind: Sendable {
        /// One statement, no transaction around it: a statement sees one snapshot by itself, and
        /// `BEGIN` and `COMMIT` would cost two more round trips than the read.
        case statement
        /// A read-only snapshot (`REPEATABLE READ`).
        case read
        /// A `SERIALIZABLE` transaction.
        case write
        /// A `READ COMMITTED` transaction whose caller holds the locks of what it changes.
        case locked
    }

    /// Runs `body`, which runs exactly one statement, outside any transaction (``Kind/statement``).
    func statement<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await run(kind: .statement, body)
    }

    /// Runs `body` in a read-only snapshot (`REPEATABLE READ`): every query sees the same commit.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await run(kind: .read, body)
    }

    /// Runs `body` in a write transaction, retried as the type says; durable when this returns
    /// (`synchronous_commit` is on). Throws what `body` threw, after rolling back.
    ///
    /// `locking` names what the transaction reads to decide and changes (a key, an upload, a
    /// bucket): transactions that name the same thing take turns, each going on after the one
    /// before it ended. Each name is a transaction advisory lock taken in sorted order first
    /// thing after `BEGIN`. With names, the transaction runs `READ COMMITTED` under the rules the
    /// type states; without, `SERIALIZABLE`.
    ///
    /// Writers on this node wait for each other in memory first (``KeyedLocks``), so that one
    /// hot key holds at most one pooled connection of the node at a time.
    func write<T: Sendable>(
        locking: [String] = [], _ body: @escaping @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        let names = Array(Set(locking)).sorted()
        return try await localLocks.withLocks(names) {
            try await run(kind: names.isEmpty ? .write : .locked, locking: names, body)
        }
    }


    /// Attempts one more run after these failures at most; the deadline bounds the whole.
    static let maximumAttempts = 64

    private func run<T: Sendable>(
        kind: Kind, locking: [String] = [], _ body: @escaping @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        let start = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            let remaining = deadline - (ContinuousClock.now - start)
            let target = primary.withLockedValue { $0 }
            // With several servers, a dead one must not use up the whole deadline.
            let wait = clients.count > 1 ? min(remaining, deadline / clients.count) : remaining
            do {
                return try await attemptOnce(
                    on: target.index, confirming: !target.confirmed, kind: kind, locking: locking, waitingAtMost: wait, body)
            } catch let failure as AttemptFailure {
                let outOfTime = ContinuousClock.now - start >= deadline
                if let cause = failure.serverUnusable { moveOn(from: target.index, because: cause) }
                switch failure {
                case .noConnection where clients.count > 1 && attempt < Self.maximumAttempts && !outOfTime:
                    continue
                case .retry(let error) where attempt < Self.maximumAttempts && !outOfTime:
                    // Spread the retries of transactions that collided, so that they do not collide again.
                    let pause = Double(min(attempt, 8)) * Double.random(in: 1...6)
                    logger.debug("metadata transaction retried", metadata: ["attempt": "\(attempt)", "error": "\(Self.describe(error))"])
                    try? await Task.sleep(for: .milliseconds(pause))
                case .retry(let error):
                    throw Self.unavailable(error, retriable: true)
                case .unknownOutcome(let error):
                    throw Self.unavailable(error, retriable: false)
                case .noConnection:
                    throw StorageError.backend(
                        operation: "metadata database connection",
                        detail: "no connection within \(deadline.components.seconds) s", unavailable: true, retriable: true)
                }
            }
        }
    }

    /// Why an attempt failed in a way the loop acts on; anything else is thrown as it is.
    private enum AttemptFailure: Error {
        /// Nothing was committed and trying again may succeed.
        case retry(any Error)
        /// `COMMIT` was sent and the connection failed before its answer.
        case unknownOutcome(any Error)
        /// No connection came within the deadline.
        case noConnection

        /// What says the server may be gone, or no primary: time to try the next one.
        var serverUnusable: (any Error)? {
            switch self {
            case .noConnection: return PostgresTransactionsError.noConnection
            case .unknownOutcome(let error): return error
            case .retry(let error):
                if error is PostgresTransactionsError { return error }
                if let state = PostgresTransactions.sqlState(error) {
                    return PostgresTransactions.isUnavailable(state: state) ? error : nil
                }
                return error
            }
        }
    }

    /// Where one attempt stands, shared between the attempt and its deadline.
    private enum Phase {
        case waiting
        case running
        case abandoned
    }

    private func attemptOnce<T: Sendable>(
        on index: Int, confirming: Bool, kind: Kind, locking: [String], waitingAtMost limit: Duration,
        _ body: @escaping @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        let phase = NIOLockedValueBox(Phase.waiting)
        let resumed = NIOLockedValueBox(false)
        let (client, logger, answerLimit) = (clients[index], self.logger, self.answerLimit)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            @Sendable func finish(_ result: Result<T, any Error>) {
                let first = resumed.withLockedValue { resumed in
                    defer { resumed = true }
                    return !resumed
                }
                if first { continuation.resume(with: result) }
            }
            let work = NIOLockedValueBox<Task<Void, Never>?>(nil)
            let answers = AnswerClock()
            // Bounds the wait for a connection only: a transaction that began is watched by its own
            // clock below, whatever is left of this wait.
            let timer = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                let abandons = phase.withLockedValue { phase in
                    guard phase == .waiting else { return false }
                    phase = .abandoned
                    return true
                }
                guard abandons else { return }
                // Answer first: the cancelled lease fails too, with the pool's own error.
                finish(.failure(AttemptFailure.noConnection))
                // Only a lease can be waiting now: cancelling it leaves no transaction behind.
                work.withLockedValue { $0 }?.cancel()
            }
            let task = Task {
                defer { timer.cancel() }
                do {
                    let value: T? = try await client.withConnection { connection in
                        let begins = phase.withLockedValue { phase in
                            guard phase == .waiting else { return false }
                            phase = .running
                            return true
                        }
                        guard begins else { return nil }
                        answers.answered()
                        // Given up only once it has gone without an answer for the answer limit.
                        let watchdog = Task {
                            while case let due = answers.last + answerLimit, ContinuousClock.now < due {
                                try? await Task.sleep(until: due)
                                guard !Task.isCancelled else { return }
                            }
                            logger.warning("a metadata transaction had no answer within \(answerLimit); closing its connection")
                            let failure = PostgresTransactionsError.noAnswer(answerLimit)
                            finish(.failure(kind == .read || kind == .statement ? AttemptFailure.retry(failure) : AttemptFailure.unknownOutcome(failure)))
                            try? await connection.close()
                        }
                        defer { watchdog.cancel() }
                        if confirming {
                            let standby = try await connection.query("SELECT pg_is_in_recovery()", logger: logger).collect()
                                .first?.decode(Bool.self)
                            guard standby == false else { throw PostgresTransactionsError.standby }
                            self.confirm(index)
                        }
                        return try await Self.transaction(
                            PostgresTransaction(connection: connection, logger: logger, answers: answers), kind: kind,
                            locking: locking, timings: timings, body)
                    }
                    if let value { finish(.success(value)) }
                } catch {
                    finish(.failure(Self.classify(error)))
                }
            }
            work.withLockedValue { $0 = task }
        }
    }

    /// Takes the session advisory lock of `name` if free (one boolean row), held until released.
    /// Locks are per database; the schema is part of the key, as in the transaction locks
    /// (``PostgresPreparedQueries/TransactionLocks``), so that the stores of several schemas in
    /// one database do not wait for each other.
    static func tryLock(_ name: String) -> PostgresQuery {
        "SELECT pg_try_advisory_lock(hashtextextended(current_schema() || '/' || \(name), 0))"
    }



    /// Releases every advisory lock of the session; a connection that cannot is closed, which
    /// releases them too, rather than going back to the pool holding locks nobody would release.
    static func unlockAll(_ connection: PostgresConnection, logger: Logger) async {
        do {
            _ = try await connection.query("SELECT pg_advisory_unlock_all()", logger: logger).collect()
        } catch {
            logger.warning("closing a metadata connection that could not release its locks", metadata: ["error": "\(describe(error))"])
            try? await connection.close()
        }
    }

    /// Runs `body` between `BEGIN` and `COMMIT` on one connection, holding the advisory locks
    /// `locking` names from right after `BEGIN`; under `READ COMMITTED` every statement after
    /// them sees what the previous holder committed.
    private static func transaction<T: Sendable>(
        _ transaction: PostgresTransaction, kind: Kind, locking: [String], timings: StorageTimings,
        _ body: @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        let begin: PostgresQuery
        switch kind {
        case .statement: return try await body(transaction)
        case .read: begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        case .write: begin = "BEGIN ISOLATION LEVEL SERIALIZABLE"
        case .locked: begin = "BEGIN ISOLATION LEVEL READ COMMITTED"
        }
        try await transaction.execute(begin)
        let value: T
        do {
            // The keys of ``tryLock(_:)``, held until the transaction ends.
            if !locking.isEmpty { _ = try await transaction.rows(PostgresPreparedQueries.TransactionLocks(names: locking)) }
            value = try await body(transaction)
        } catch {
            // Nothing to roll back on a connection that is gone: the server rolled it back.
            if !isConnectionLoss(error) { _ = try? await transaction.execute("ROLLBACK") }
            throw error
        }
        let committing = ContinuousClock.now
        do {
            try await transaction.execute("COMMIT")
            // Read-only transactions commit nothing to make durable.
            if kind != .read { timings.record(.metadataCommit, since: committing) }
        } catch {
            // A serialization failure at commit rolled everything back; a lost connection may not have.
            if let state = sqlState(error), isRetriable(state: state) { throw AttemptFailure.retry(error) }
            throw isConnectionLoss(error) ? AttemptFailure.unknownOutcome(error) : error
        }
        return value
    }

    /// What the loop does with an error thrown before `COMMIT` was sent.
    private static func classify(_ error: any Error) -> any Error {
        if error is AttemptFailure || error is StorageError { return error }
        if error is PostgresTransactionsError { return AttemptFailure.retry(error) }
        if let state = sqlState(error) {
            if isRetriable(state: state) || isUnavailable(state: state) { return AttemptFailure.retry(error) }
            return StorageError.metadata(detail: describe(error))
        }
        if isConnectionLoss(error) { return AttemptFailure.retry(error) }
        // The pool's own errors (its module is not public): no connection came, nothing ran.
        if String(describing: type(of: error)).contains("ConnectionPoolError") { return AttemptFailure.retry(error) }
        return error
    }

    /// Serialization failure, deadlock, a unique violation (two transactions that both saw a
    /// name free: run again, one of them sees it taken and says so) and a foreign key violation
    /// (a bucket or upload removed by a racing write: run again, the transaction sees it gone).
    private static func isRetriable(state: String) -> Bool {
        ["40001", "40P01", "23505", "23503"].contains(state)
    }

    /// Connection exceptions (class 08), shutdown, start-up and recovery in progress, too many
    /// connections, a lock not obtained within `lock_timeout`, a statement cancelled by
    /// `statement_timeout`, a read-only server (a standby not yet promoted).
    static func isUnavailable(state: String) -> Bool {
        state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300", "55P03", "57014", "25006"].contains(state)
    }

    ///
    /// A query sent on such a connection was seen never to be answered (PostgresNIO 1.33, after
    /// the server closed it while a `COMMIT` was in flight), so none is sent on it after this.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        if case .unknownOutcome(let underlying) = error as? AttemptFailure { return isConnectionLoss(underlying) }
        if case .retry(let underlying) = error as? AttemptFailure { return isConnectionLoss(underlying) }
        guard let error = error as? PSQLError else { return error is IOError || error is ChannelError }
        return [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed]
            .contains(error.code)
    }

    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// One line on a failure: the server's message and SQLSTATE, or the client's error code,
    /// never the query or its values.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let message = error.serverInfo?[.message] {
            return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }

    private static func unavailable(_ error: any Error, retriable: Bool) -> StorageError {
        .backend(
            operation: retriable ? "metadata database connection" : "metadata commit",
            detail: describe(error) + (retriable ? "" : "; the write may or may not have been committed"),
            unavailable: true, retriable: retriable)
    }
}

/// Failures of the servers themselves that no PostgreSQL error describes.
enum PostgresTransactionsError: Error, CustomStringConvertible {
    /// No connection came within the wait of one attempt.
    case noConnection
    /// The server is a standby (in recovery): not where writes, or reads that must see them, go.
    case standby
    /// A transaction that began had no answer within this long (``PostgresTransactions/answerLimit``).
    case noAnswer(Duration)

    var description: String {
        switch self {
        case .noConnection: "no connection"
        case .standby: "the server is a standby (in recovery)"
        case .noAnswer(let limit): "no answer within \(limit)"
        }
    }
}

/// When a transaction last had an answer from its server: the answer limit runs from there.
final class AnswerClock: Sendable {
    private let instant = NIOLockedValueBox(ContinuousClock.now)

    var last: ContinuousClock.Instant { instant.withLockedValue { $0 } }

    func answered() {
        instant.withLockedValue { $0 = .now }
    }
}

/// The connection of one transaction, with the few ways the store queries it.
struct PostgresTransaction: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// Told of every answer, for the answer limit.
    var answers: AnswerClock? = nil

    /// Every row the query returns.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        let rows = try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
        answers?.answered()
        return rows
    }

    /// The first row the query returns, `nil` when none.
    func row(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await rows(query).first
    }

    /// Runs a statement; returns how many rows it returned (give it `RETURNING 1` to count changes).
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }

    /// The first column of the first row, `nil` when there is no row or it is NULL.
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T? {
        guard let row = try await row(query), row[0].bytes != nil else { return nil }
        return try row[0].decode(T.self)
    }
}

extension PostgresRandomAccessRow {
    /// The column named `name`, decoded; a NULL decodes as `nil` only where `T` is optional.
    func callAsFunction<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try self[name].decode(T.self)
    }
}

