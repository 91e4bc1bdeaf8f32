// A request field that must be a plain object (`{ … }`): not an array, a Map, a class instance or null.
import * as v from 'valibot';
import { isPlainObject } from './request-checks.js';

/** A plain object field; `message` names the field and what it holds. */
export const plainObjectField = <T extends object = Record<string, unknown>>(message: string) =>
  v.custom<T>(isPlainObject, message);
