#include <curl/curl.h>
#include <sys/socket.h>

// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are C variadics, which Swift cannot call.
// One wrapper per argument type; each forwards unchanged.

// Options that take a long (timeouts, flags, sizes).
static inline CURLcode spool_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
// Options that take a C string (URL, method, proxy); libcurl copies it.
static inline CURLcode spool_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
// Options that take an opaque pointer (header lists, user data for callbacks).
static inline CURLcode spool_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
// Options that take a 64-bit size (request body length).
static inline CURLcode spool_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
// Data callbacks (CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION, CURLOPT_READFUNCTION).
typedef size_t (*spool_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);
static inline CURLcode spool_curl_easy_setopt_data_callback(CURL *handle, CURLoption option, spool_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}
// Info values that come back as a long (response code).
static inline CURLcode spool_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
// Info values that come back as a pointer (CURLINFO_PRIVATE).
static inline CURLcode spool_curl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}
// Info values that come back as a C string owned by the handle (CURLINFO_PRIMARY_IP).
static inline CURLcode spool_curl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}
// Multi options that take a long (connection limits).
static inline CURLMcode spool_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}
// Sockets opened with close-on-exec, so a program the process starts never inherits a connection and keeps it
// open after libcurl closed it (libcurl 7.88 opens its sockets without the flag).
static curl_socket_t spool_curl_open_socket_cloexec(void *clientp, curlsocktype purpose, struct curl_sockaddr *address) {
    (void)clientp;
    (void)purpose;
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}
static inline CURLcode spool_curl_easy_open_sockets_cloexec(CURL *handle) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, spool_curl_open_socket_cloexec);
}
