/**
 * The ESE vocabulary every layer shares: codes, operations, handle kinds, capabilities and target
 * versions. Depends on nothing (test/architecture/layers.test.ts enforces it).
 * @packageDocumentation
 */
export * from './codes';
export * from './operations';
export * from './capabilities';
