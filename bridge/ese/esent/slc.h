/*
 * ESENT flavour stub: Windows' internal slc.h (Software Licensing Client). sysinfo.cxx calls one
 * function from it, SLGetWindowsInformationDWORD, which the public SDK declares in slpublic.h
 * (mingw-w64 ships that header and libslc.a, so the call is the real one, linked against slc.dll).
 * It only reads the licensing policy value named in slpolicylist.h (see there); no JET API result
 * depends on this header.
 */
#pragma once
#include <slpublic.h>
