/*
 * ESENT flavour stub: the SDK's appmodel.h, which mingw-w64 10 lacks. sysinfo.cxx needs the
 * declaration of GetCurrentPackageFullName (only for decltype: ESE loads it at run time through its
 * NTOSFunc loader from the AppModel API set) and APPMODEL_ERROR_NO_PACKAGE. These are the same
 * declarations the ESE flavour writes in sysinfo.cxx itself. They decide whether the process is a
 * packaged (Store) app, which only chooses the default folder (osfs.cxx ErrOSFSInitDefaultPath);
 * the bridge and the smoke program are not packaged, so no JET API result depends on this header.
 */
#pragma once
#ifdef __cplusplus
extern "C" {
#endif
WINBASEAPI LONG WINAPI GetCurrentPackageFullName( UINT32 * packageFullNameLength, PWSTR packageFullName );
#ifdef __cplusplus
}
#endif
#ifndef APPMODEL_ERROR_NO_PACKAGE
#define APPMODEL_ERROR_NO_PACKAGE 15700L
#endif
