/**
 * JSON Schema written the OpenAPI 3.1 way (which zod's converter speaks) turned into OpenAPI 3.0, the version the
 * document declares and most client generators read: `type: ['string', 'null']` becomes `type: 'string',
 * nullable: true`, an `anyOf` with a `null` branch a nullable schema, and `const` a one-value `enum`.
 */
type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null;

export function toOpenApi30<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => toOpenApi30(item)) as T;
  if (!isSchema(value)) return value;
  const out: Schema = {};
  for (const [key, child] of Object.entries(value)) out[key] = toOpenApi30(child);
  if (Array.isArray(out.type)) {
    const types = (out.type as string[]).filter((type) => type !== 'null');
    if (types.length < out.type.length) out.nullable = true;
    if (types.length === 1) out.type = types[0];
    else {
      delete out.type;
      out.anyOf = types.map((type) => ({ type }));
    }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = out[key];
    if (!Array.isArray(branches)) continue;
    const rest = branches.filter((branch) => !(isSchema(branch) && branch.type === 'null'));
    if (rest.length === branches.length) continue;
    out.nullable = true;
    if (rest.length === 1 && isSchema(rest[0]) && !('$ref' in rest[0])) {
      delete out[key];
      Object.assign(out, rest[0], { nullable: true });
    } else out[key] = rest;
  }
  if ('const' in out) {
    out.enum = [out.const];
    delete out.const;
  }
  return out as T;
}
