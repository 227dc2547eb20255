#include "CHeimdallOpenSSL.h"
