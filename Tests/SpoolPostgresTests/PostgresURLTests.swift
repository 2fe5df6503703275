import SpoolPostgres
import SpoolPostgresTesting
import Testing

@Suite("PostgreSQL URLs")
struct PostgresURLTests {
    @Test("a full URL gives host, port, decoded credentials, database and sslmode; the description hides the password")
    func fullURL() throws {
        let url = try PostgresURL("postgres://spool%40ops:p%2Fss@db.internal:6543/spool_prod?sslmode=require")
        #expect(url.endpoint == .tcp(host: "db.internal", port: 6543))
        #expect(url.username == "spool@ops")
        #expect(url.password == "p/ss")
        #expect(url.database == "spool_prod")
        #expect(url.sslMode == .require)
        #expect(!url.description.contains("p/ss"))
        #expect(url.description == "postgres://spool@ops:***@db.internal:6543/spool_prod?sslmode=require")
    }

    @Test("defaults: port 5432, user postgres, sslmode prefer; postgresql:// is accepted too")
    func defaults() throws {
        let url = try PostgresURL("postgresql://localhost/spool")
        #expect(url.endpoint == .tcp(host: "localhost", port: 5432))
        #expect(url.username == "postgres")
        #expect(url.password == nil)
        #expect(url.sslMode == .prefer)
    }

    @Test("?host=/folder connects through the unix socket in that folder")
    func unixSocket() throws {
        let url = try PostgresURL("postgres://postgres@:5433/spool?host=/run/postgresql")
        #expect(url.endpoint == .unixSocket(folder: "/run/postgresql", port: 5433))
        #expect(url.clientConfiguration.unixSocketPath == "/run/postgresql/.s.PGSQL.5433")
    }

    @Test("a URL that cannot be used is refused with the reason", arguments: [
        ("mysql://localhost/spool", "scheme"),
        ("postgres://localhost", "database"),
        ("postgres://localhost/spool?sslmode=verify-ca", "sslmode"),
        ("postgres://localhost/spool?application_name=x", "application_name"),
        ("postgres:///spool", "host"),
    ])
    func refused(url: String, reason: String) {
        #expect {
            try PostgresURL(url)
        } throws: { error in
            (error as? PostgresURLError)?.description.contains(reason) == true
        }
    }
}
