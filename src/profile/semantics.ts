/**
 * What the JSON schema cannot say about a profile: every FHIRPath expression parses, every
 * placeholder is one the run can fill, requirement IDs exist, query ids are unique and batch entries
 * name real queries. Each problem is reported with the JSON path where it is, so a partner or
 * reviewer editing a profile can go straight to it.
 */
import { requirements } from '../core/requirements.js';
import { parsePath } from '../fhir/fhirpath.js';
import { placeholders, placeholdersIn } from '../fhir/search-values.js';
import type { Profile, RequestTemplate } from './model.js';

export interface ProfileProblem {
  /** JSON Pointer into the profile file, e.g. `/resources/1/fields/0/fields/2/path`. */
  path: string;
  reason: string;
}

/** The first problem found, or undefined when the profile is sound. */
export function profileProblem(profile: Profile): ProfileProblem | undefined {
  const problems: ProfileProblem[] = [];
  const expression = (path: string, expr: string | undefined): void => {
    if (expr === undefined) return;
    try {
      parsePath(expr);
    } catch (err) {
      // The parser reports one line per syntax error; a config error is one line.
      problems.push({ path, reason: (err as Error).message.replace(/\s*\n\s*/g, ' / ') });
    }
  };
  const template = (path: string, text: string | undefined): void => {
    if (text === undefined) return;
    for (const name of placeholdersIn(text)) {
      if (!(name in placeholders)) {
        problems.push({
          path,
          reason: `unknown placeholder {${name}}; known: ${Object.keys(placeholders)
            .map((p) => `{${p}}`)
            .join(', ')}`,
        });
      }
    }
  };
  const request = (path: string, req: RequestTemplate | undefined): void => {
    if (!req) return;
    template(`${path}/path`, req.path);
    for (const [name, value] of Object.entries(req.params ?? {})) {
      const values = Array.isArray(value) ? value : [value];
      values.forEach((v, i) =>
        template(`${path}/params/${pointerPart(name)}${Array.isArray(value) ? `/${i}` : ''}`, v),
      );
    }
  };
  const requirementId = (path: string, id: string): void => {
    if (!requirements.has(id))
      problems.push({ path, reason: `${id} is not a requirement ID of the catalogue` });
  };

  profile.resources.forEach((resource, r) => {
    const at = `/resources/${r}`;
    expression(`${at}/patientReference`, resource.patientReference);
    expression(`${at}/date`, resource.date);
    request(`${at}/fetch`, resource.fetch);
    resource.fields?.forEach((group, g) => {
      requirementId(`${at}/fields/${g}/requirement`, group.requirement);
      group.fields.forEach((field, f) => expression(`${at}/fields/${g}/fields/${f}/path`, field.path));
    });
  });

  const ids = new Set<string>();
  profile.searches?.forEach((query, q) => {
    const at = `/searches/${q}`;
    if (ids.has(query.id))
      problems.push({ path: `${at}/id`, reason: `the query id "${query.id}" is used twice` });
    ids.add(query.id);
    requirementId(`${at}/requirement`, query.requirement);
    request(at, query);
    const every = query.expect?.every;
    if (every) {
      expression(`${at}/expect/every/path`, every.path);
      template(
        `${at}/expect/every/${every.contains !== undefined ? 'contains' : 'equals'}`,
        every.contains ?? every.equals,
      );
    }
    const type = profile.resources.find((r) => r.type === query.resultType);
    const needs = (flag: string, field: 'patientReference' | 'date'): void => {
      if (!type?.[field]) {
        problems.push({
          path: `${at}/expect/${flag}`,
          reason: `${flag} needs resources[] to give ${query.resultType} a ${field}`,
        });
      }
    };
    if (query.expect?.ofPatient || query.expect?.complete)
      needs(query.expect.ofPatient ? 'ofPatient' : 'complete', 'patientReference');
    if (query.expect?.newestFirst) needs('newestFirst', 'date');
    if (query.expect?.latestFirst) needs('latestFirst', 'date');
  });

  if (profile.batch) {
    requirementId('/batch/requirement', profile.batch.requirement);
    profile.batch.entries.forEach((entry, e) => {
      if ('read' in entry) template(`/batch/entries/${e}/read`, entry.read);
      else if (!ids.has(entry.query)) {
        problems.push({
          path: `/batch/entries/${e}/query`,
          reason: `no query in searches has the id "${entry.query}"`,
        });
      }
    });
  }
  return problems[0];
}

/** RFC 6901 escaping of one JSON Pointer segment. */
function pointerPart(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
