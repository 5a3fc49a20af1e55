/**
 * Where a report row's requirement is explained in full: its entry in the catalogue that ships with
 * the package (docs/requirements.md, one anchor per ID, in lower case).
 */
import { CATALOGUE_FILE } from '../core/requirements.js';

export function requirementRef(id: string): string {
  return `${CATALOGUE_FILE}#${id.toLowerCase()}`;
}
