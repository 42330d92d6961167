/** The stub engine of the mutant catalogue: JET_errSuccess to every call, every capability declared. */
export { createAlwaysSuccess } from '../../mutants/always-success';
