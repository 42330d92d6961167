/*
 * Compile-only check (bridge/build.sh runs it with -fsyntax-only): every function pointer type of
 * esent_api.h must match the SDK's own prototype, so a wrong parameter type cannot slip through
 * the run-time binding.
 */
#include "esent_api.h"

#define ESE_CHECK(member, first, second, sdk, params) PFN_##member check_##member = &sdk;
ESE_FUNCTIONS(ESE_CHECK)
#undef ESE_CHECK
