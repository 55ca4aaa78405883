/**
 * Limits a query must pass before it runs, in two steps.
 *
 * Size (`sizeViolation`, before validation): at most MAX_FIELD_NODES fields and MAX_FRAGMENTS
 * fragment definitions in the document as written. graphql-js's standard validation (the
 * rule that fields of one response name can be merged) compares same-named fields pairwise,
 * so its cost grows with the square of the same-named fields that end up in one selection set:
 * measured here, 900 copies of `labels { label }` (3,600 tokens, under the token limit) took
 * 2.8 s of CPU to validate, and 125 one-field fragments spread side by side 0.6 s; within the
 * field and fragment caps alone, 19 fragments of 5 copies each still took ~0.2 s. So a response
 * name may also occur at most MAX_SAME_NAME times in one response object once fragments are
 * spread in and same-named fields' sub-selections merged, and the check itself stops after
 * MAX_EXPANDED_SELECTIONS visits (a fragment spread many times over is refused, not expanded). All of it is far above what a
 * dashboard query needs (graphql-js's full introspection query has 72 fields).
 *
 * Cost (`limitViolation`, after validation, so fragments are known to be acyclic): depth, and
 * a complexity budget that prices what the query could make the Worker read. Each field costs
 * 1, a field that reads D1 (LOADER_FIELDS) 10, and the fields under a paged list count `limit`
 * times (its argument, from a literal or a variable, default 20, at most 100). So
 * `prompts(limit: 100) { data { versions(limit: 100) { ... } } }` is priced as the 100 version
 * reads it would make, and refused. A fragment's price is worked out once and reused wherever
 * it is spread: a chain of fragments each spreading the next twice prices 2^n fields in n
 * steps (walking every expansion took 12 s for a 1 KB query of 20 such fragments). Page size
 * itself is checked by the REST schemas the resolvers reuse (1-100).
 */
import { Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, getNamedType, isObjectType, type GraphQLObjectType, visit } from "graphql";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../http/page";
import { LOADER_FIELDS } from "./sdl";

export const MAX_DEPTH = 8;
/** Introspection (tooling, the console's codegen) nests deeper; it reads no tenant data. */
export const MAX_INTROSPECTION_DEPTH = 16;
export const MAX_COMPLEXITY = 2_500;
export const MAX_QUERY_TOKENS = 4_000;
export const MAX_FIELD_NODES = 200;
export const MAX_FRAGMENTS = 20;
/** Copies of one response name in one response object, fragments spread in. */
export const MAX_SAME_NAME = 8;
/** Selections the size check may visit while spreading fragments in. */
export const MAX_EXPANDED_SELECTIONS = 20_000;

/** Depth below a selection set (a field directly in it is 1) and its cost at one copy. */
interface Measure {
  depth: number;
  complexity: number;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Fragment name + the type it is spread on -> its measure (depth, complexity are relative). */
  memo: Map<string, Measure>;
}

function pageSize(field: FieldNode, w: Walk): number {
  const arg = field.arguments?.find((a) => a.name.value === "limit");
  if (!arg) return DEFAULT_PAGE_SIZE;
  const v = arg.value.kind === Kind.INT ? Number(arg.value.value) : arg.value.kind === Kind.VARIABLE ? w.variables[arg.value.name.value] : undefined;
  return typeof v === "number" && Number.isFinite(v) ? Math.min(Math.max(Math.trunc(v), 1), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
}

function typeNamed(w: Walk, name: string): GraphQLObjectType | null {
  const t = w.schema.getType(name);
  return t && isObjectType(t) ? t : null;
}

function fragmentMeasure(frag: FragmentDefinitionNode, parent: GraphQLObjectType | null, w: Walk): Measure {
  const type = typeNamed(w, frag.typeCondition.name.value) ?? parent;
  const key = `${frag.name.value}|${type?.name ?? ""}`;
  const known = w.memo.get(key);
  if (known) return known;
  // Validation refused cycles; the placeholder only guards against a document that skipped it.
  w.memo.set(key, { depth: 0, complexity: 0 });
  const m = walk(frag.selectionSet, type, w);
  w.memo.set(key, m);
  return m;
}

/** Cost (per copy) and relative depth of a selection set on `parent`. Linear in the document. */
function walk(set: SelectionSetNode, parent: GraphQLObjectType | null, w: Walk): Measure {
  let depth = 0;
  let complexity = 0;
  for (const sel of set.selections) {
    let m: Measure;
    if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const frag = w.fragments.get(sel.name.value);
      if (!frag) continue;
      m = fragmentMeasure(frag, parent, w);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      m = walk(sel.selectionSet, sel.typeCondition ? (typeNamed(w, sel.typeCondition.name.value) ?? parent) : parent, w);
    } else {
      const name = sel.name.value;
      const own = LOADER_FIELDS.has(parent ? `${parent.name}.${name}` : name) ? 10 : 1;
      if (!sel.selectionSet) {
        m = { depth: 1, complexity: own };
      } else {
        const fieldDef = parent?.getFields()[name];
        const childType = fieldDef ? getNamedType(fieldDef.type) : null;
        const paged = fieldDef?.args.some((a) => a.name === "limit") ?? false;
        const child = walk(sel.selectionSet, childType && isObjectType(childType) ? childType : null, w);
        m = { depth: 1 + child.depth, complexity: own + (paged ? pageSize(sel, w) : 1) * child.complexity };
      }
    }
    depth = Math.max(depth, m.depth);
    // Capped so a huge product stays a finite number to report.
    complexity = Math.min(complexity + m.complexity, Number.MAX_SAFE_INTEGER);
  }
  return { depth, complexity };
}

const isIntrospection = (op: OperationDefinitionNode): boolean =>
  op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && (s.name.value === "__schema" || s.name.value === "__type" || s.name.value === "__typename"));

class OverBudget extends Error {}

/**
 * The fields a set of selection sets contributes to one response object, fragments spread in.
 * Every node visited is charged to `budget`; running out throws OverBudget. A spread of an
 * unknown fragment adds nothing, and a fragment already being expanded on this path (a cycle)
 * is not expanded again (validation reports both).
 */
function expand(sets: readonly SelectionSetNode[], fragments: Map<string, FragmentDefinitionNode>, budget: { left: number }, open: Set<string> = new Set()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const set of sets) {
    for (const sel of set.selections) {
      if (--budget.left < 0) throw new OverBudget();
      if (sel.kind === Kind.FIELD) out.push(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...expand([sel.selectionSet], fragments, budget, open));
      else {
        const frag = fragments.get(sel.name.value);
        if (!frag || open.has(frag.name.value)) continue;
        open.add(frag.name.value);
        out.push(...expand([frag.selectionSet], fragments, budget, open));
        open.delete(frag.name.value);
      }
    }
  }
  return out;
}

/**
 * The response name selected more than MAX_SAME_NAME times in one response object, following
 * fields of one name into their merged sub-selections (what the merge rule compares); null if none.
 */
function overSelected(sets: readonly SelectionSetNode[], fragments: Map<string, FragmentDefinitionNode>, budget: { left: number }): { name: string; count: number } | null {
  const groups = new Map<string, FieldNode[]>();
  for (const f of expand(sets, fragments, budget)) {
    const name = f.alias?.value ?? f.name.value;
    const group = groups.get(name) ?? [];
    group.push(f);
    groups.set(name, group);
    if (group.length > MAX_SAME_NAME) return { name, count: group.length };
  }
  for (const group of groups.values()) {
    const subs = group.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
    const found = subs.length > 1 ? overSelected(subs, fragments, budget) : null;
    if (found) return found;
  }
  return null;
}

/** The size cap a parsed document breaks, as a message; null when within them. Bounded work. */
export function sizeViolation(document: DocumentNode): string | null {
  let fields = 0;
  const sets: SelectionSetNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  visit(document, {
    Field() {
      fields++;
    },
    FragmentDefinition(node) {
      fragments.set(node.name.value, node);
    },
    SelectionSet(node) {
      sets.push(node);
    },
  });
  if (fields > MAX_FIELD_NODES) return `The query has ${fields} fields; at most ${MAX_FIELD_NODES} are allowed (use fragments, or split it).`;
  if (fragments.size > MAX_FRAGMENTS) return `The query defines ${fragments.size} fragments; at most ${MAX_FRAGMENTS} are allowed.`;
  const budget = { left: MAX_EXPANDED_SELECTIONS };
  try {
    for (const set of sets) {
      const found = overSelected([set], fragments, budget);
      if (found) return `${JSON.stringify(found.name)} is selected ${found.count} times in one object (fragments included); at most ${MAX_SAME_NAME} are allowed.`;
    }
  } catch (err) {
    if (!(err instanceof OverBudget)) throw err;
    return `The query's fragments expand to more than ${MAX_EXPANDED_SELECTIONS} selections; spread fewer or smaller fragments.`;
  }
  return null;
}

/** The limit a validated operation breaks, as a message; null when it is within them. */
export function limitViolation(schema: GraphQLSchema, document: DocumentNode, op: OperationDefinitionNode, variables: Record<string, unknown>): string | null {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const m = walk(op.selectionSet, schema.getQueryType() ?? null, { schema, fragments, variables, memo: new Map() });
  const maxDepth = isIntrospection(op) ? MAX_INTROSPECTION_DEPTH : MAX_DEPTH;
  if (m.depth > maxDepth) return `The query is ${m.depth} levels deep; at most ${maxDepth} are allowed.`;
  if (m.complexity > MAX_COMPLEXITY) return `The query's complexity is ${m.complexity} (fields, D1 reads at 10, times the page sizes they are nested in); at most ${MAX_COMPLEXITY} is allowed. Ask for smaller pages or fewer nested lists.`;
  return null;
}
