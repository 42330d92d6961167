/** Whether a scenario applies to an implementation: its `@needs:` capabilities and `@since:` target. */
import type { ImplementationInfo } from '../adapters/types';
import { targetVersions, type TargetVersion } from '../api';

/** The reason the scenario is NOT_APPLICABLE, or undefined when it applies. */
export function notApplicableReason(tags: readonly string[], info: ImplementationInfo): string | undefined {
  const missing = tags
    .filter((t) => t.startsWith('@needs:'))
    .map((t) => t.slice('@needs:'.length))
    .filter((c) => !(info.capabilities as readonly string[]).includes(c));
  if (missing.length > 0) {
    return `needs the capability ${missing.join(', ')}, which ${info.name} does not declare`;
  }
  for (const tag of tags.filter((t) => t.startsWith('@since:'))) {
    const since = tag.slice('@since:'.length) as TargetVersion;
    const at = targetVersions.indexOf(since);
    if (at < 0) throw new Error(`${tag}: unknown target version; known: ${targetVersions.join(', ')}`);
    if (targetVersions.indexOf(info.target) < at) return `applies since ${since}; the declared target is ${info.target}`;
  }
  return undefined;
}
