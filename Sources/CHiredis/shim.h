// hiredis (Debian: libhiredis-dev, 0.14): the C client the Oracle and RESP targets speak through.
#include <hiredis/hiredis.h>
