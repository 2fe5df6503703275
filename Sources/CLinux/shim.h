// The Linux calls SpoolHTTP's event loops make that Swift's Glibc module does not import: epoll and eventfd
// (their headers are not part of that module), and accept4 and pthread_setname_np (glibc declares them only for
// _GNU_SOURCE, which that module is built without). The epoll structure and constants come from the system's
// own header.
#include <sys/epoll.h>
#include <sys/eventfd.h>

// <sys/socket.h> and <pthread.h> belong to the Glibc module: included here too, their constants would be declared
// twice and Swift would find neither. These are glibc's prototypes, spelled with the types behind socklen_t
// (unsigned int), pthread_t (unsigned long) and a plain pointer for struct sockaddr.
#ifndef __USE_GNU
extern int accept4(int fd, void *address, unsigned int *length, int flags);
extern int pthread_setname_np(unsigned long thread, const char *name);
#endif
