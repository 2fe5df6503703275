// glibc's malloc tuning (mallopt and its M_* parameters), which Swift's Glibc module does not import.
#include <malloc.h>
