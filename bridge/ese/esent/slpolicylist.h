/*
 * ESENT flavour stub (bridge/ese/build.sh --flavour esent): Windows' internal slpolicylist.h names
 * the licensing policy values a Windows component may read. jetapi.cxx (ESENT branch at its top)
 * needs only the name of ESE's own value, the one ErrUtilSystemSlConfiguration (sysinfo.cxx) expects
 * (it asserts the name); the ESE flavour spells the same string in jetapi.cxx itself.
 * No JET API result depends on it beyond that name: the value read with it only picks the default
 * JET_paramConfiguration (measured under Wine: 1, JET_configDefault, in both flavours; see
 * docs/implementations/ese.md, Flavours).
 */
#pragma once
static const WCHAR g_wszLP_PARAMCONFIGURATION[] = L"ExtensibleStorageEngine-ISAM-ParamConfiguration";
