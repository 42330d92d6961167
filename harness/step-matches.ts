/**
 * Whether a step definition matches a step's text, worked out once per text and definition in a
 * process. cucumber assembles each run's test cases by trying every step of every selected scenario
 * against every definition of the library (assemble_test_cases.js makeSteps: about 5,000 steps times
 * the suite's 109 definitions a run, each a regexp match through cucumber-expressions), which was
 * about 130 ms of a 1.1 s in-process run here, again in every run of a mutant campaign's workers.
 * The answer depends on the definition's expression and the text only, so it is kept, per text, in a
 * byte per definition; a match that throws keeps nothing and throws as before.
 */

interface MatchingDefinition {
  matchesStepName(text: string): boolean;
}

interface Library {
  readonly stepDefinitions?: readonly MatchingDefinition[];
}

const unknown = 0;
const matches = 1;
const doesNotMatch = 2;
/** Texts kept at most (the suite's features hold a few thousand distinct steps). */
const maxTexts = 50_000;

/** Wraps each step definition's matchesStepName with the per-text memo; returns how many it wrapped. */
export function rememberStepMatches(library: unknown): number {
  const defs = (library as Library).stepDefinitions ?? [];
  const answers = new Map<string, Uint8Array>();
  // cucumber asks every definition in a row about one text: the last text's answers are at hand.
  let lastText: string | undefined;
  let last: Uint8Array = new Uint8Array(0);
  const answersFor = (text: string): Uint8Array => {
    if (text === lastText) return last;
    let known = answers.get(text);
    if (known === undefined) {
      if (answers.size >= maxTexts) answers.clear();
      known = new Uint8Array(defs.length);
      answers.set(text, known);
    }
    lastText = text;
    last = known;
    return known;
  };
  defs.forEach((d, i) => {
    const match = d.matchesStepName.bind(d);
    d.matchesStepName = (text: string): boolean => {
      const known = answersFor(text);
      if (known[i] === unknown) known[i] = match(text) ? matches : doesNotMatch;
      return known[i] === matches;
    };
  });
  return defs.length;
}
