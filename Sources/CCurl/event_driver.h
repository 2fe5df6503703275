#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

// What libcurl's multi socket interface needs from the loop that drives it: an epoll set that follows the sockets
// libcurl asks to watch (CURLMOPT_SOCKETFUNCTION) and the one timer it asks for (CURLMOPT_TIMERFUNCTION), plus an
// eventfd that other threads write to wake the loop. Kept in C because both are C callbacks that run inside
// libcurl's calls on the loop thread, and because epoll and eventfd are not visible to Swift through Glibc.

typedef struct spool_curl_events {
    CURLM *multi;
    int epoll_fd;
    int wake_fd;
    // When libcurl wants curl_multi_socket_action(CURL_SOCKET_TIMEOUT), in CLOCK_MONOTONIC milliseconds; -1: never.
    int64_t timer_deadline_ms;
} spool_curl_events;

static inline int64_t spool_curl_monotonic_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

// CURLMOPT_SOCKETFUNCTION: mirror libcurl's interest in a socket into the epoll set. A socket libcurl has not seen
// before carries no assigned pointer, so it is added; the assignment marks it for later changes. EEXIST and ENOENT
// are tolerated both ways round, because libcurl may close a socket (which drops it from the set) before it says so.
static int spool_curl_socket_changed(CURL *easy, curl_socket_t socket, int what, void *userp, void *socketp) {
    (void)easy;
    spool_curl_events *events = (spool_curl_events *)userp;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(events->epoll_fd, EPOLL_CTL_DEL, socket, NULL);
        return 0;
    }
    struct epoll_event interest = {0};
    interest.data.fd = socket;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) interest.events |= EPOLLIN;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) interest.events |= EPOLLOUT;
    int operation = socketp == NULL ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (epoll_ctl(events->epoll_fd, operation, socket, &interest) != 0) {
        if (errno == EEXIST) epoll_ctl(events->epoll_fd, EPOLL_CTL_MOD, socket, &interest);
        else if (errno == ENOENT) epoll_ctl(events->epoll_fd, EPOLL_CTL_ADD, socket, &interest);
    }
    if (socketp == NULL) curl_multi_assign(events->multi, socket, events);
    return 0;
}

// CURLMOPT_TIMERFUNCTION: remember when libcurl wants its timeout action (-1 cancels the timer).
static int spool_curl_timer_changed(CURLM *multi, long timeout_ms, void *userp) {
    (void)multi;
    spool_curl_events *events = (spool_curl_events *)userp;
    events->timer_deadline_ms = timeout_ms < 0 ? -1 : spool_curl_monotonic_ms() + timeout_ms;
    return 0;
}

// Opens the epoll set and the wake-up eventfd and installs both callbacks on `multi`; 0, or an errno value.
static inline int spool_curl_events_open(CURLM *multi, spool_curl_events *events) {
    events->multi = multi;
    events->timer_deadline_ms = -1;
    events->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (events->epoll_fd < 0) return errno;
    events->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (events->wake_fd < 0) {
        int error = errno;
        close(events->epoll_fd);
        return error;
    }
    struct epoll_event interest = {0};
    interest.events = EPOLLIN;
    interest.data.fd = events->wake_fd;
    if (epoll_ctl(events->epoll_fd, EPOLL_CTL_ADD, events->wake_fd, &interest) != 0) {
        int error = errno;
        close(events->wake_fd);
        close(events->epoll_fd);
        return error;
    }
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, spool_curl_socket_changed);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, events);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, spool_curl_timer_changed);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, events);
    return 0;
}

static inline void spool_curl_events_close(spool_curl_events *events) {
    close(events->wake_fd);
    close(events->epoll_fd);
}

// Wakes the loop from any thread (a write to the eventfd; a full counter still wakes it).
static inline void spool_curl_events_wake(spool_curl_events *events) {
    uint64_t one = 1;
    ssize_t written;
    do { written = write(events->wake_fd, &one, sizeof one); } while (written < 0 && errno == EINTR);
}

// Milliseconds until libcurl's timer is due (0 when due or overdue), capped at `cap_ms`.
static inline int spool_curl_events_wait_ms(const spool_curl_events *events, int cap_ms) {
    if (events->timer_deadline_ms < 0) return cap_ms;
    int64_t remaining = events->timer_deadline_ms - spool_curl_monotonic_ms();
    if (remaining <= 0) return 0;
    return remaining < cap_ms ? (int)remaining : cap_ms;
}

// Waits for socket activity, a wake-up or `timeout_ms`, then hands every ready socket to libcurl and, when the
// timer is due, runs libcurl's timeout action. Returns the CURLMcode of the first failing action (CURLM_OK if
// none); a wait interrupted by a signal is not an error.
static inline CURLMcode spool_curl_events_run_once(CURLM *multi, spool_curl_events *events, int timeout_ms) {
    struct epoll_event ready[64];
    int count = epoll_wait(events->epoll_fd, ready, 64, timeout_ms);
    CURLMcode result = CURLM_OK;
    int running = 0;
    for (int index = 0; index < count; index++) {
        int fd = ready[index].data.fd;
        if (fd == events->wake_fd) {
            uint64_t drained;
            while (read(events->wake_fd, &drained, sizeof drained) > 0) {}
            continue;
        }
        int flags = 0;
        if (ready[index].events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) flags |= CURL_CSELECT_IN;
        if (ready[index].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (ready[index].events & EPOLLERR) flags |= CURL_CSELECT_ERR;
        CURLMcode code = curl_multi_socket_action(multi, fd, flags, &running);
        if (code != CURLM_OK && result == CURLM_OK) result = code;
    }
    if (events->timer_deadline_ms >= 0 && spool_curl_monotonic_ms() >= events->timer_deadline_ms) {
        events->timer_deadline_ms = -1;
        CURLMcode code = curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
        if (code != CURLM_OK && result == CURLM_OK) result = code;
    }
    return result;
}
