/*
 * Force-included first in every ESE translation unit built by bridge/ese/build.sh (clang-19,
 * x86_64-w64-windows-gnu, mingw-w64 headers and libstdc++): fills the gaps between mingw-w64 and
 * the Windows SDK that ESE is written against, and a few MSVC leniencies clang does not share.
 * Written for this project from the compiler's diagnostics; nothing here is ESE code.
 */
#pragma once

/* 1. The system headers first, while _MSC_VER is still undefined (mingw's and libstdc++'s own
 *    conditions expect a GNU compiler). */
#define _CRT_RAND_S 1 /* rand_s() */
#include <winsock2.h>
#include <windows.h>
#include <winioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>
#include <ctype.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <time.h>
#include <errno.h>
#include <locale.h>
#include <process.h>
#include <io.h>
#include <tchar.h>
#include <intrin.h>
#include <emmintrin.h>
#include <excpt.h>
#include <intsafe.h>
#include <evntprov.h>
#include <psapi.h>
#include <sddl.h>
#include <aclapi.h>
#include <wincrypt.h>
#include <winperf.h>
#include <evntrace.h>
/* mingw-w64 10's werapi.h uses PWER_SUBMIT_RESULT and WER_MAX_PREFERRED_MODULES_BUFFER without
 * defining them, and lacks HREPORT. */
#ifndef WER_MAX_PREFERRED_MODULES_BUFFER
#define WER_MAX_PREFERRED_MODULES_BUFFER 256
#endif
typedef HANDLE HREPORT;
#define WER_SUBMIT_RESULT WER_SUBMIT_RESULT, *PWER_SUBMIT_RESULT
#include <werapi.h>
#undef WER_SUBMIT_RESULT
#ifdef __cplusplus
#include <new>
#include <algorithm>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>
/* libstdc++ (exception_defines.h) makes __try a macro; ESE's TRY is MSVC's SEH __try/__except,
 * which clang supports for this target. */
#undef __try
#undef __catch
#endif

/* 2. Then ESE's headers see an MSVC: their !_MSC_VER branches are an unfinished LP64 Unix port. */
#ifndef _MSC_VER
#define _MSC_VER 1929
#endif
#ifndef _MSC_FULL_VER
#define _MSC_FULL_VER 192930133
#endif

/* 3. Old-style SAL annotations (Windows SDK specstrings.h) that mingw-w64 lacks: no code. */
#define ESE_SAL0_(n)
#ifndef __in
#define __in
#endif
#ifndef __out
#define __out
#endif
#define __in_opt
#define __inout
#define __inout_opt
#define __in_z
#define __in_z_opt
#define __inout_z
#define __out_opt
#define __format_string
#define __nullterminated
#define __deref
#define __deref_out
#define __deref_out_z
#define __out_bcount(x)
#define __in_ecount(x)
#define __in_bcount(x)
#define __out_ecount(x)
#define __in_range(a, b)
#define __out_bcount_part_opt(a, b)
#define __out_bcount_z(x)
#define __in_ecount_opt(x)
#define __out_bcount_part(a, b)
#define __inout_bcount(x)
#define __in_bcount_opt(x)
#define __deref_out_ecount(x)
#define __inout_ecount(x)
#define __out_ecount_z(x)
#define __out_bcount_opt(x)
#define __deref_out_range(a, b)
#define __out_range(a, b)
#define __inout_bcount_z(x)
#define __success(x)
#define __range(a, b)
#define __out_ecount_part_z(a, b)
#define __out_ecount_part(a, b)
#define __out_bcount_full(x)
#define __deref_in_bcount(x)
#define __out_xcount_part_opt(a, b)
#define __inout_ecount_opt(x)
#define __inout_bcount_part(a, b)
#define __deref_out_bcount(x)
#ifndef __analysis_assume
#define __analysis_assume(x)
#endif

/* 4. Windows SDK names mingw-w64 10 does not have. */
#ifndef UINT_PTR_MAX
#define UINT_PTR_MAX UINTPTR_MAX
#endif
#ifndef __kernel_entry
#define __kernel_entry
#endif
#ifndef EVENT_CONTROL_CODE_DISABLE_PROVIDER
#define EVENT_CONTROL_CODE_DISABLE_PROVIDER 0
#define EVENT_CONTROL_CODE_ENABLE_PROVIDER 1
#define EVENT_CONTROL_CODE_CAPTURE_STATE 2
#endif
#ifndef _XCR_XFEATURE_ENABLED_MASK
#define _XCR_XFEATURE_ENABLED_MASK 0
#endif

/* 5. mingw-w64 makes __int64 & co. macros (long long ...); clang -fms-extensions has them as
 *    keywords, which also allows ESE's functional casts such as __int64( p ). */
#undef __int64
#undef __int32
#undef __int16
#undef __int8
/* clang's own intrin.h/intrin0.h switch to their MSVC variant once _MSC_VER is set; mingw's were
 * already included above, so keep clang's out. */
#define __INTRIN_H
#define __INTRIN0_H

/* 6. min/max: ESE's min/max macros (minmax.h) compare mixed types, e.g. LittleEndian<T> with T, which
 *    MSVC's ?: resolves and clang calls ambiguous. The same choice, by value, with a fallback to
 *    the arithmetic values (+a, +b) when ?: between the two types is ambiguous. */
#ifdef __cplusplus
#undef min
#undef max
template <class A, class B>
constexpr auto EseMinMaxPick_(bool c, A a, B b, int) -> typename std::decay<decltype(c ? a : b)>::type { return c ? a : b; }
template <class A, class B>
constexpr auto EseMinMaxPick_(bool c, A a, B b, long) -> typename std::decay<decltype(c ? +a : +b)>::type { return c ? +a : +b; }
#define min(a, b) EseMinMaxPick_((a) < (b), (a), (b), 0)
#define max(a, b) EseMinMaxPick_((a) > (b), (a), (b), 0)
#endif

/* 7. Newer SAL annotations mingw-w64 10 lacks. */
#ifndef _Deref_post_cap_
#define _Deref_post_cap_(x)
#endif
#ifndef _Deref_out_opt_z_
#define _Deref_out_opt_z_
#endif
#ifndef _Post_ptr_invalid_
#define _Post_ptr_invalid_
#endif
#ifndef __assume_bound
#define __assume_bound(x)
#endif
#ifndef _Pre_bytecap_
#define _Pre_bytecap_(x)
#endif
#ifndef _Deref_inout_z_
#define _Deref_inout_z_
#endif

/* 8. osfile.cxx: FSCTL_MARK_HANDLE flags of the Windows 10 SDK. */
#ifndef MARK_HANDLE_READ_COPY
#define MARK_HANDLE_READ_COPY 0x00000080
#define MARK_HANDLE_NOT_READ_COPY 0x00000100
#endif

/* 9. dllentry.cxx: ESE is linked /ENTRY:DLLEntryPoint /NODEFAULTLIB and starts the MSVC CRT itself
 *    with _CRT_INIT. Here mingw's DllMainCRTStartup starts the CRT and calls DllMain, which
 *    forwards to DLLEntryPoint (bridge/ese/mingwstubs.cxx), so _CRT_INIT has nothing to do. */
#define _CRT_INIT(hinst, reason, reserved) TRUE

/* 10. A temporary passed where MSVC binds it to a non-const reference (recupd.cxx). */
#ifdef __cplusplus
template <class T> inline T &EseLvalue_(T &&t) { return t; }
#endif

/* 11. LittleEndian<volatile T> takes its value as a plain T (types.hxx, see fixes.pl). */
#ifdef __cplusplus
template <class T> using EseNoVol_ = typename std::remove_volatile<T>::type;
#endif

/* 12. UNREFERENCED_PARAMETER(P) is (P) = (P) in mingw-w64, which fails on a const parameter. */
#undef UNREFERENCED_PARAMETER
#define UNREFERENCED_PARAMETER(P) ((void)(P))
