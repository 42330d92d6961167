/* Run-time binding of the ESE API (see esent_api.h). */
#include "esent_api.h"

#include <stdio.h>

ese_api ese;
HMODULE ese_module;
char ese_module_path[MAX_PATH];

static FARPROC lookup(const char *first, const char *second) {
  FARPROC p = GetProcAddress(ese_module, first);
  if (!p && second) p = GetProcAddress(ese_module, second);
  return p;
}

int ese_load(const char *dll, char *error, size_t error_size) {
  ese_module = LoadLibraryA(dll);
  if (!ese_module) {
    snprintf(error, error_size, "cannot load %s (Windows error %lu)", dll, (unsigned long)GetLastError());
    return -1;
  }
  if (!GetModuleFileNameA(ese_module, ese_module_path, sizeof ese_module_path)) snprintf(ese_module_path, sizeof ese_module_path, "%s", dll);
  /* FARPROC to the typed pointer, through void (*)(void), which GCC accepts as "any function". */
#define ESE_BIND(member, first, second, sdk, params) ese.member = (PFN_##member)(void (*)(void))lookup(first, second);
  ESE_FUNCTIONS(ESE_BIND)
  ESE_FUNCTIONS_UNCHECKED(ESE_BIND)
#undef ESE_BIND
  return 0;
}
