// Regular expressions of q (~=, !~=) and idPattern, matched in linear time by RE2 (re2js), so no
// pattern can make a request backtrack for minutes and stall the event loop for everyone else.
// RE2's syntax is ECMAScript's without backreferences and lookaround (and with a few additions such
// as \x{…} and (?i)); a pattern RE2 cannot compile is refused naming the parameter it came in.
import { RE2JS } from 're2js';
import { problem } from './errors.ts';

/** Longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 256;
/**
 * Largest compiled program (re2js programSize): matching costs about program size × input length,
 * and a small pattern such as (.|a){999} compiles to thousands of instructions.
 */
export const MAX_PATTERN_PROGRAM = 300;

const cache = new Map<string, RE2JS>();

/** The compiled pattern; BadRequestData naming `where` when RE2 cannot compile it or it is too costly. */
export function compilePattern(pattern: string, where: string): RE2JS {
  const hit = cache.get(pattern);
  if (hit) return hit;
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw problem('BadRequestData', `${where}: the pattern is longer than ${MAX_PATTERN_LENGTH} characters.`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : 'not a valid pattern';
    throw problem(
      'BadRequestData',
      `${where}: "${pattern}" is not a regular expression this broker can match in linear time (${why}); backreferences and lookaround are not supported.`,
    );
  }
  if (re.programSize() > MAX_PATTERN_PROGRAM)
    throw problem('BadRequestData', `${where}: the pattern is too complex (use fewer or smaller repetitions).`);
  // A bounded cache: the same few patterns come again and again (subscriptions, paging).
  if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
  cache.set(pattern, re);
  return re;
}

/** Whether the pattern matches somewhere in the text (as RegExp.prototype.test does). */
export const patternTest = (pattern: string, where: string, text: string) => compilePattern(pattern, where).test(text);
