// The types cucumber-expressions imports from regexp-match-indices (GroupBuilder.d.ts).
export interface RegExpExecIndicesArray extends Array<[number, number]> {
  groups?: { [key: string]: [number, number] };
}
export interface RegExpExecArray extends globalThis.RegExpExecArray {
  indices: RegExpExecIndicesArray;
}
export interface RegExpMatchArray extends globalThis.RegExpMatchArray {
  indices?: RegExpExecIndicesArray;
}
declare function exec(regexp: RegExp, string: string): RegExpExecArray | null;
declare namespace exec {
  const nativeIndices: true;
}
export default exec;
