import PostgresNIO

/// A failure of PostgreSQL or of the connection to it, with what the server said.
///
/// `kind` is what callers branch on: a unique violation is an answer (the row exists), a serialization failure or
/// deadlock means "run the transaction again", a connection failure means the database is unreachable (readiness
/// fails, work waits). `sqlState` is the server's five-character code (nil when the server never answered).
package struct PostgresDatabaseError: Error, CustomStringConvertible, Sendable {
    /// What happened, in the terms callers act on.
    package enum Kind: Sendable, Equatable {
        /// 23505: a unique index or primary key already holds the value.
        case uniqueViolation
        /// 40001: a concurrent transaction made this one's reads stale; running it again may succeed.
        case serializationFailure
        /// 40P01: PostgreSQL broke a lock cycle by aborting this transaction; running it again may succeed.
        case deadlock
        /// The server could not be reached, went away, or refused the session (class 08, 57P01–57P03).
        case connectionFailure
        /// Any other error the server reported (syntax, constraint, raised exception…).
        case server
        /// A failure on this side that the server never saw (decoding a row, a cancelled request…).
        case client
    }

    package let kind: Kind
    package let sqlState: String?
    package let message: String
    /// The constraint the server named, for unique and other constraint violations.
    package let constraint: String?

    package init(kind: Kind, sqlState: String?, message: String, constraint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.constraint = constraint
    }

    /// Whether running the whole transaction again may succeed.
    package var isTransient: Bool { kind == .serializationFailure || kind == .deadlock }

    package var description: String {
        "PostgreSQL \(sqlState.map { "error \($0)" } ?? "\(kind)"): \(message)"
    }

    /// `error` in these terms: PostgresNIO's errors are classified, a `PostgresDatabaseError` is returned as it is, and
    /// anything else is a client-side failure described by its own text.
    package init(_ error: any Error) {
        switch error {
        case let error as PostgresDatabaseError:
            self = error
        case let error as PSQLError:
            self.init(psql: error)
        case let error as PostgresTransactionError:
            let inner = error.beginError ?? error.closureError ?? error.commitError ?? error.rollbackError
            self = inner.map(PostgresDatabaseError.init) ?? PostgresDatabaseError(kind: .client, sqlState: nil, message: "\(error)")
        default:
            self.init(kind: .client, sqlState: nil, message: String(describing: error))
        }
    }

    private init(psql error: PSQLError) {
        if let info = error.serverInfo, let state = info[.sqlState] {
            self.init(kind: Self.kind(sqlState: state), sqlState: state, message: info[.message] ?? "\(error.code)",
                      constraint: info[.constraintName])
            return
        }
        let connection: Set<PSQLError.Code> = [
            .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .sslUnsupported, .failedToAddSSLHandler, .unsupportedAuthMechanism, .authMechanismRequiresPassword,
            .saslError,
        ]
        let detail = error.underlying.map { ": \($0)" } ?? ""
        self.init(kind: connection.contains(error.code) ? .connectionFailure : .client, sqlState: nil,
                  message: "\(error.code)\(detail)")
    }

    /// The kind of a server error from its SQLSTATE.
    static func kind(sqlState state: String) -> Kind {
        switch state {
        case "23505": .uniqueViolation
        case "40001": .serializationFailure
        case "40P01": .deadlock
        case "57P01", "57P02", "57P03": .connectionFailure
        case _ where state.hasPrefix("08"): .connectionFailure
        default: .server
        }
    }
}
