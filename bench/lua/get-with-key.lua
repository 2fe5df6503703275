-- wrk script: GET with `Authorization: Bearer $KEY`, and nothing else. Without a `response` function wrk does not
-- hand every response to Lua, which on a 2-core machine costs the load generator more CPU than the server spends
-- answering; bench/http.sh checks the statuses from wrk's own count of non-2xx answers instead.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
