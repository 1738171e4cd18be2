#include "redlite_support.h"
