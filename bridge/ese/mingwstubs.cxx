// Definitions the mingw build of ESE needs that the MSVC build gets elsewhere (bridge/ese/build.sh).
// Written for this project; nothing here is ESE code.
#include <windows.h>

// The DLL entry point: mingw's DllMainCRTStartup starts the CRT (and runs the static constructors),
// then calls DllMain; ESE's own entry point (dllentry.cxx) does the rest.
extern "C" BOOL WINAPI DLLEntryPoint(void *hinstDLL, DWORD fdwReason, LPVOID lpvReserved);
extern "C" BOOL WINAPI DllMain(HINSTANCE hinstDLL, DWORD fdwReason, LPVOID lpvReserved) {
  return DLLEntryPoint(hinstDLL, fdwReason, lpvReserved);
}

// The WinDbg debugger extension (os/edbg.cxx) is not built (it needs dbgeng interfaces mingw-w64 lacks,
// and only a debugger calls it). The OS layer's init and term call these hooks; they do nothing here.
// No JET API depends on them except the cache query below, which only the debugger extension's
// "!ese cachequery" and JetGetCacheInfo-style diagnostics use: it reports the feature as disabled.
BOOL FOSEdbgPreinit() { return fTrue; }
ERR ErrOSEdbgInit() { return JET_errSuccess; }
void OSEdbgTerm() {}
void OSEdbgPostterm() {}
extern "C" ERR ErrEDBGCacheQueryLocal(const INT argc, const CHAR *const argv[], void *pvResult) {
  (void)argc; (void)argv; (void)pvResult;
  return ErrERRCheck(JET_errDisabledFunctionality);
}
#ifdef DEBUGGER_EXTENSION
const EDBGGlobals *rgEDBGGlobalsArray = NULL;
#endif

// /GS: ESE's entry point initialises the security cookie itself (MSVC CRT protocol); mingw's
// DllMainCRTStartup has done it already, and clang emits no cookie checks here (no -fstack-protector).
extern "C" void __cdecl __security_init_cookie(void) {}

// UlParam(const INST*, ULONG) is inline in daedef.hxx and called from the OS layer (error.cxx), which
// clang compiles without emitting it: taking its address here emits the (comdat) definition.
ULONG_PTR (*volatile g_pfnEseForceUlParam)(const INST *const, const ULONG) = &UlParam;
