/**
 * Where the esent tier itself allows more than the reference's one answer. outcomes.md: "Any
 * setup call may answer a warning (+1327 for DenyRead)"; ES-CURSORS-CLOSED: a JetOpenTable with
 * JET_bitTableDenyRead "may answer +1327" (ESENT's own background cursors). The reference never
 * has background cursors, so it answers 0 there.
 */
import { JET_bits as B, JET_errors as E } from '../api/codes';
import type { SymCall } from './roles';

/** Codes the implementation may answer instead of the reference's `err`, besides `err` itself. */
export function alsoAllowed(call: SymCall, err: number): readonly number[] {
  if (call.op === 'JetOpenTable' && err === 0 && ((call.args.grbit as number) & B.JET_bitTableDenyRead) !== 0) {
    return [E.JET_wrnTableInUseBySystem];
  }
  return [];
}
