#ifndef HEIMDALL_CMALLOC_SHIM_H
#define HEIMDALL_CMALLOC_SHIM_H
// glibc's malloc tuning (mallopt, M_ARENA_MAX): not part of Swift's Glibc module.
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#endif
