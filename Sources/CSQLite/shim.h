#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro Swift cannot import; binding text and blobs needs it.
static inline sqlite3_destructor_type spool_sqlite_transient(void) { return SQLITE_TRANSIENT; }
