// Form decoding: the bodies (and query strings) the SDK sends, `a[b][0][c]=v`.
import type { StripeObject } from './types.ts';

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Node = StripeObject | unknown[];

/** The key's segments: `a[b][0][c]` → ['a', 'b', '0', 'c']; `a[]` → ['a', '']. */
function segmentsOf(key: string): string[] {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  return m ? [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)] : [key];
}

/** The child under `seg` (made when missing: an array when the next segment is an index or `[]`), or the value set at the leaf. */
function step(node: Node, seg: string, next: string | undefined, value: string): Node | undefined {
  const makeChild = (): Node => (next === '' || /^\d+$/.test(next ?? '') ? [] : {});
  const slots = node as Record<string | number, unknown>;
  let key: string | number = seg;
  if (Array.isArray(node)) {
    key = seg === '' ? node.length : Number(seg);
    if (!Number.isInteger(key)) return undefined;
  }
  if (next === undefined) {
    slots[key] = value;
    return undefined;
  }
  if (typeof slots[key] !== 'object' || slots[key] === null) slots[key] = makeChild();
  return slots[key] as Node;
}

/** `a[b][0][c]=v` → { a: { b: [ { c: 'v' } ] } }; `a[]=x` appends. Leaves stay strings. */
export function decodeForm(raw: string): StripeObject {
  const root: StripeObject = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const segments = segmentsOf(key);
    if (segments.some((s) => UNSAFE_KEYS.has(s))) continue;
    let node: Node | undefined = root;
    for (let i = 0; i < segments.length && node; i++) node = step(node, segments[i]!, segments[i + 1], value);
  }
  return root;
}
