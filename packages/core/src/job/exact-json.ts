// Exact JSON reading without a JSON parser of anyjob's own or lossless-json's (4 KB gzip, in the
// chunk every provider loads): JSON.parse parses, after each integer a JS number cannot hold
// (outside strings) has been put in quotes. lossless-json decides which those are (`isSafeNumber`:
// the number keeps its digits), so the rule is the library's; its parser is not loaded. Node 20's
// JSON.parse has no source-text reviver, which would make this unnecessary.
import { isInteger, isSafeNumber } from 'lossless-json';
import { idText } from './id-text.js';
import { valueAt } from './run-status.js';

/** A JSON number, as the grammar has it (no leading zeros), at the sticky index. */
const JSON_NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** Whitespace then a colon, at the sticky index: the number was written as an object key. */
const KEY_END = /[ \t\n\r]*:/y;

/** `text` with each integer whose digits a JS number would lose quoted, outside strings. */
function quoteUnsafeIntegers(text: string): string {
  let quoted = '';
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      // Skip the string: a backslash escapes the character after it.
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    JSON_NUMBER.lastIndex = i;
    const number = char === '-' || (char >= '0' && char <= '9') ? JSON_NUMBER.exec(text)?.[0] : undefined;
    if (number === undefined) {
      i++;
      continue;
    }
    const end = i + number.length;
    KEY_END.lastIndex = end;
    // A number as a key is invalid JSON: quoting it would make it valid, so JSON.parse refuses it.
    if (isInteger(number) && !isSafeNumber(number) && !KEY_END.test(text)) {
      quoted += `${text.slice(copied, i)}"${number}"`;
      copied = end;
    }
    i = end;
  }
  return copied === 0 ? text : quoted + text.slice(copied);
}

/**
 * Parses JSON text like JSON.parse, except that an integer beyond Number.MAX_SAFE_INTEGER becomes
 * its decimal digits (a string) instead of a rounded number. Safe integers and fractions stay numbers.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** The integer or string at a dotted path of an answer's JSON text, as exact text; undefined when absent. */
export function readExactInteger(text: string, path: string): string | undefined {
  return idText(valueAt(parseJsonExact(text), path));
}
