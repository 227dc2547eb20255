#ifndef HEIMDALL_CLIBPQ_SHIM_H
#define HEIMDALL_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
