/*
 * Force-included after compat.h in the ESENT flavour only (bridge/ese/build.sh --flavour esent).
 * normu.hxx defines __ascii_toupper itself only #ifndef ESENT: ESENT takes it from the Windows CRT's
 * ctype.h, which mingw-w64 lacks. This is the same ASCII-only upper-casing as ESE's definition (and
 * the CRT's), used by ChUtilNormChar for key normalisation of ASCII text columns, so no JET API
 * result depends on which of the two definitions is used.
 */
#pragma once
#ifndef __ascii_toupper
#define __ascii_toupper(c) ( (((c) >= 'a') && ((c) <= 'z')) ? ((c) - 'a' + 'A') : (c) )
#endif
