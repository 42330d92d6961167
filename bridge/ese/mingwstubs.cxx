// Definitions the mingw build of ESE needs that the MSVC build gets elsewhere (bridge/ese/build.sh).
// Written for this project; nothing here is ESE code.
#include <windows.h>

// The DLL entry point: mingw's DllMainCRTStartup starts the CRT (and runs the static constructors),
// then calls DllMain; ESE's own entry point (dllentry.cxx) does the rest.
extern "C" BOOL WINAPI DLLEntryPoint(void *hinstDLL, DWORD fdwReason, LPVOID lpvReserved);
extern "C" BOOL WINAPI DllMain(HINSTANCE hinstDLL, DWORD fdwReason, LPVOID lpvReserved) {
  return DLLEntryPoint(hinstDLL, fdwReason, lpvReserved);
}
