import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL database is and how to reach it, read from a URL such as `SPOOL_DATABASE_URL`:
/// `postgres://user:password@host:port/database?sslmode=require` (`postgresql://` too).
///
/// - The port defaults to 5432, the user to `postgres`; user and password are percent-decoded.
/// - `?host=/some/folder` (libpq's spelling) connects through the unix socket in that folder instead of TCP.
/// - `sslmode` is libpq's: `disable`; `prefer` (the default: TLS when the server offers it, unverified);
///   `require` (TLS or nothing, certificate not verified); `verify-full` (TLS with the certificate and host name
///   verified against the system's roots). `allow` and `verify-ca` are refused rather than approximated.
package struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode` values that Spool honours.
    package enum SSLMode: String, Sendable, Equatable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    /// TCP host and port, or the folder holding the server's unix socket.
    package enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unixSocket(folder: String, port: Int)
    }

    package var endpoint: Endpoint
    package var username: String
    package var password: String?
    package var database: String
    package var sslMode: SSLMode

    package init(endpoint: Endpoint, username: String, password: String?, database: String, sslMode: SSLMode) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.sslMode = sslMode
    }

    /// Parses `string`; the error says what is wrong with it without repeating the password.
    package init(_ string: String) throws(PostgresURLError) {
        guard let components = URLComponents(string: string) else { throw PostgresURLError("it is not a URL") }
        guard components.scheme == "postgres" || components.scheme == "postgresql" else {
            throw PostgresURLError("the scheme must be postgres:// or postgresql://")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
                               uniquingKeysWith: { _, last in last })
        if let unknown = query.keys.first(where: { $0 != "sslmode" && $0 != "host" }) {
            throw PostgresURLError("the parameter '\(unknown)' is not supported (only sslmode and host are)")
        }
        guard let mode = SSLMode(rawValue: query["sslmode"] ?? SSLMode.prefer.rawValue) else {
            throw PostgresURLError("sslmode must be disable, prefer, require or verify-full")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw PostgresURLError("the port must be between 1 and 65535") }
        let database = String(components.percentEncodedPath.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresURLError("the path must name the database, as in postgres://host/spool")
        }
        if let folder = query["host"], folder.hasPrefix("/") {
            endpoint = .unixSocket(folder: folder, port: port)
        } else if let host = components.host, !host.isEmpty {
            endpoint = .tcp(host: host, port: port)
        } else {
            throw PostgresURLError("a host is needed (or ?host=/socket/folder for a unix socket)")
        }
        username = components.user?.removingPercentEncoding ?? "postgres"
        password = components.password?.removingPercentEncoding
        self.database = database
        sslMode = mode
    }

    /// The URL without its password, for logs and errors.
    package var description: String {
        let user = password == nil ? username : "\(username):***"
        switch endpoint {
        case .tcp(let host, let port):
            return "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
        case .unixSocket(let folder, let port):
            return "postgres://\(user)@:\(port)/\(database)?host=\(folder)"
        }
    }

    /// The settings of a pooled client.
    package var clientConfiguration: PostgresClient.Configuration {
        switch endpoint {
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS = switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(Self.unverifiedTLS)
            case .require: .require(Self.unverifiedTLS)
            case .verifyFull: .require(.makeClientConfiguration())
            }
            return .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        case .unixSocket(let folder, let port):
            return .init(unixSocketPath: Self.socketPath(folder: folder, port: port), username: username,
                         password: password, database: database)
        }
    }

    /// The settings of one connection outside the pool (the LISTEN connection). Throws when the TLS context
    /// cannot be built.
    package func connectionConfiguration() throws -> PostgresConnection.Configuration {
        switch endpoint {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS = switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: Self.unverifiedTLS))
            case .require: .require(try NIOSSLContext(configuration: Self.unverifiedTLS))
            case .verifyFull: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            return .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        case .unixSocket(let folder, let port):
            return .init(unixSocketPath: Self.socketPath(folder: folder, port: port), username: username,
                         password: password, database: database)
        }
    }

    /// The same server and credentials, another database (tests create one per test; admin work uses `postgres`).
    package func with(database: String) -> PostgresURL {
        var copy = self
        copy.database = database
        return copy
    }

    private static var unverifiedTLS: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }

    private static func socketPath(folder: String, port: Int) -> String {
        (folder.hasSuffix("/") ? folder : folder + "/") + ".s.PGSQL.\(port)"
    }
}

/// Why a database URL was refused.
package struct PostgresURLError: Error, CustomStringConvertible, Sendable, Equatable {
    package let description: String

    init(_ reason: String) {
        description = "invalid database URL: \(reason)"
    }
}
