import SpoolTestSupport

/// The nginx the tests run: a minimal main configuration that keeps every file nginx writes in `directory`, stays in
/// the foreground with one process, and includes `included` (the documented blocks under test, rewritten with the
/// test's ports).
enum NginxMainConfiguration {
    static func write(in directory: String, including included: String) throws {
        try writeFile(directory + "/nginx.conf", """
            daemon off;
            master_process off;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log warn;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(directory)/body;
                proxy_temp_path \(directory)/proxy;
                fastcgi_temp_path \(directory)/fastcgi;
                uwsgi_temp_path \(directory)/uwsgi;
                scgi_temp_path \(directory)/scgi;
                include \(directory)/\(included);
            }
            """)
    }
}
