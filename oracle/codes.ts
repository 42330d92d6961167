/**
 * The codes moved to api/codes.ts (the bottom layer, shared by the engine and the adapters); this
 * module re-exports them for modules that still import them from here. The judge's own numbers
 * come from the catalogue copy (harness/codes.ts), never from the engine.
 */
export * from '../api/codes';
