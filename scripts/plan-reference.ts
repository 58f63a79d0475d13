/** Renders the plan's JSON Schema as a Markdown table: one row per field, union variants by `kind`. */
interface Node {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, Node>;
  required?: string[];
  items?: Node;
  anyOf?: Node[];
  oneOf?: Node[];
  enum?: unknown[];
  const?: unknown;
  additionalProperties?: Node | boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

interface Row {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly defaultValue: string;
  readonly description: string;
}

export function renderPlanReference(schema: Node): string {
  const rows = fields(schema, '');
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| field | type | required | default | description |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| \`${r.path}\` | ${cell(r.type)} | ${r.required ? 'yes' : ''} | ${cell(r.defaultValue)} | ${cell(r.description)} |`,
    ),
  ].join('\n');
}

function fields(node: Node, prefix: string): Row[] {
  const variants = node.oneOf ?? node.anyOf;
  if (variants) return variants.flatMap((variant) => fields(variant, variantPrefix(variant, prefix)));
  if (!node.properties) return [];
  return Object.entries(node.properties).flatMap(([name, child]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    const row: Row = {
      path,
      type: typeName(child),
      required: node.required?.includes(name) ?? false,
      defaultValue: child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``,
      description: child.description ?? '',
    };
    const inner = child.type === 'array' && child.items ? child.items : child;
    const nested = fields(inner, child.type === 'array' ? `${path}[]` : path);
    return name === 'kind' && child.const !== undefined ? [] : [row, ...nested];
  });
}

function variantPrefix(variant: Node, prefix: string): string {
  const kind = variant.properties?.['kind']?.const;
  return kind === undefined ? prefix : `${prefix}(kind: ${String(kind)})`;
}

function typeName(node: Node): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(' | ');
  const variants = node.oneOf ?? node.anyOf;
  if (variants) {
    const kinds = variants.map((v) => v.properties?.['kind']?.const).filter((k) => k !== undefined);
    return kinds.length ? `one of kind: ${kinds.map((k) => `\`${String(k)}\``).join(', ')}` : 'object';
  }
  if (node.type === 'array') return `list of ${node.items ? typeName(node.items) : 'values'}`;
  if (node.type === 'object' && !node.properties && typeof node.additionalProperties === 'object') {
    return `map of ${typeName(node.additionalProperties)}`;
  }
  const range =
    node.minimum !== undefined && node.maximum !== undefined ? ` (${node.minimum}–${node.maximum})` : '';
  return `${Array.isArray(node.type) ? node.type.join(' | ') : (node.type ?? 'any')}${range}`;
}
