#ifndef HEIMDALL_CZLIB_SHIM_H
#define HEIMDALL_CZLIB_SHIM_H
#include <zlib.h>
#endif
