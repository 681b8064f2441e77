// A list screen's search, filters and page, kept in the route query (so links from Home, reloads
// and the back button all work), and the one page of `staff.list` that goes with them. Each
// distinct query is fetched once; an answer to an older query that arrives late is ignored.
import { computed, reactive, ref, watch, type ComputedRef, type Ref } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw, type RouteLocationRaw } from 'vue-router';
import type { InputOf, OutputOf } from '../../main/api/contract.ts';
import { api } from '../api/client.ts';
import { useErrors, type FormErrors } from './useErrors.ts';

export const PAGE_SIZE = 25;
const MAX_SEARCH = 200;
const MAX_PAGE = 100_000;

export type FilterName = 'status' | 'employmentType' | 'employmentStatus' | 'source' | 'staffGroup';
export type ListName = InputOf<'staff.list'>['list'];
export type StaffRow = OutputOf<'staff.list'>['rows'][number];

export interface FilterGroup {
  name: FilterName;
  legend: string;
  options: ReadonlyArray<{ readonly value: string; readonly label: string }>;
  /** An NHS.UK grid column class for its place in the filters row. */
  column: string;
}

export interface ListState {
  search: string;
  page: number;
  filters: Partial<Record<FilterName, string[]>>;
}

export interface ListQueryOptions {
  /** The route this screen is on: the query is only read while that route is showing. */
  routeName: string;
  list: () => ListName;
  /** The filters this screen offers; values not among their options are ignored. */
  filters: () => FilterGroup[];
  /** Global search: nothing is fetched until there is something to search for. */
  searchRequired?: boolean;
}

export interface ListQuery {
  /** What the route query asks for, after checking. */
  state: ComputedRef<ListState>;
  /** What the forms on the page hold before the user applies them. */
  draft: { search: string; filters: Partial<Record<FilterName, string[]>> };
  rows: Ref<StaffRow[] | null>;
  total: Ref<number>;
  loading: Ref<boolean>;
  form: FormErrors;
  /** True when a search or a filter narrows the list. */
  narrowed: ComputedRef<boolean>;
  /** Applies the search box and the ticked filters, from page 1. */
  apply(): Promise<void>;
  /** Where a page number leads, keeping search and filters. */
  pageLink(page: number): RouteLocationRaw;
  /** The same list with no filters (the search is kept). */
  clearFiltersLink: ComputedRef<RouteLocationRaw>;
}

function valuesIn(query: LocationQuery, key: string): string[] {
  const raw = query[key];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((value): value is string => typeof value === 'string' && value.length > 0);
}

function readState(query: LocationQuery, groups: FilterGroup[]): ListState {
  const search = (valuesIn(query, 'q')[0] ?? '').trim().slice(0, MAX_SEARCH);
  const page = Number.parseInt(valuesIn(query, 'page')[0] ?? '1', 10);
  const filters: ListState['filters'] = {};
  for (const group of groups) {
    const asked = new Set(valuesIn(query, group.name));
    // In the options' order, so the same filters always make the same query.
    const values = group.options.map((option) => option.value).filter((value) => asked.has(value));
    if (values.length > 0) filters[group.name] = values;
  }
  return { search, page: Number.isInteger(page) && page >= 1 && page <= MAX_PAGE ? page : 1, filters };
}

function queryFor(state: ListState): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  for (const [name, values] of Object.entries(state.filters)) if (values && values.length > 0) query[name] = [...values];
  if (state.search) query.q = state.search;
  if (state.page > 1) query.page = String(state.page);
  return query;
}

export function useListQuery(options: ListQueryOptions): ListQuery {
  const route = useRoute();
  const router = useRouter();
  const form = useErrors({ search: 'list-search' });

  const state = computed(() => readState(route.query, options.filters()));
  const narrowed = computed(() => state.value.search !== '' || Object.keys(state.value.filters).length > 0);
  const draft = reactive<ListQuery['draft']>({ search: '', filters: {} });
  const rows = ref<StaffRow[] | null>(null);
  const total = ref(0);
  const loading = ref(false);
  let latest = 0;

  function location(next: ListState): RouteLocationRaw {
    return { name: options.routeName, params: route.params, query: queryFor(next) };
  }

  async function load(list: ListName, asked: ListState): Promise<void> {
    const request = ++latest;
    loading.value = true;
    try {
      const input: InputOf<'staff.list'> = { list, page: asked.page, pageSize: PAGE_SIZE, ...asked.filters };
      if (asked.search) input.search = asked.search;
      const result = await api.call('staff.list', input);
      if (request !== latest) return;
      form.clear();
      // A page past the end (the list got shorter, or an old link): show the last page instead.
      if (result.rows.length === 0 && result.total > 0 && asked.page > 1) {
        await router.replace(location({ ...asked, page: Math.ceil(result.total / PAGE_SIZE) }));
        return;
      }
      rows.value = result.rows;
      total.value = result.total;
    } catch (error) {
      if (request !== latest) return;
      form.fromError(error);
    } finally {
      if (request === latest) loading.value = false;
    }
  }

  // One key per distinct query: a route change that does not change it fetches nothing, and
  // while another route is showing (this screen is on its way out) the key is null.
  const key = computed(() => (route.name === options.routeName ? JSON.stringify([options.list(), state.value]) : null));
  watch(
    key,
    (now) => {
      if (now === null) return;
      const asked = state.value;
      draft.search = asked.search;
      draft.filters = Object.fromEntries(Object.entries(asked.filters).map(([name, values]) => [name, [...values]]));
      if (options.searchRequired && asked.search === '') {
        latest++;
        rows.value = null;
        total.value = 0;
        loading.value = false;
        return;
      }
      void load(options.list(), asked);
    },
    { immediate: true },
  );

  async function apply(): Promise<void> {
    const search = draft.search.trim();
    if (search.length > MAX_SEARCH) {
      form.show([{ message: `Enter ${MAX_SEARCH} characters or fewer`, fieldId: 'list-search' }]);
      return;
    }
    const filters: ListState['filters'] = {};
    for (const [name, values] of Object.entries(draft.filters)) if (values && values.length > 0) filters[name as FilterName] = values;
    await router.push(location({ search, page: 1, filters }));
  }

  return {
    state,
    draft,
    rows,
    total,
    loading,
    form,
    narrowed,
    apply,
    pageLink: (page) => location({ ...state.value, page }),
    clearFiltersLink: computed(() => location({ search: state.value.search, page: 1, filters: {} })),
  };
}

const count = new Intl.NumberFormat('en-GB');

/** "1,234": counts as HR reads them. */
export function formatCount(value: number): string {
  return count.format(value);
}

/** "Showing 26 to 50 of 1,234 records". */
export function showingLine(page: number, shown: number, total: number): string {
  if (total === 0) return 'No records found';
  const first = (page - 1) * PAGE_SIZE + 1;
  const last = first + shown - 1;
  const noun = total === 1 ? 'record' : 'records';
  if (first === last) return `Showing ${formatCount(first)} of ${formatCount(total)} ${noun}`;
  return `Showing ${formatCount(first)} to ${formatCount(last)} of ${formatCount(total)} ${noun}`;
}

// Short months, with no-break spaces, keep a wide table readable: "4 Mar 2025" on one line.
const noBreak = (text: string) => text.replace(/ /g, '\u00a0');
const shortDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const shortDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });

/** "4 Mar 2025": the day a moment fell on, in the computer's time zone. */
export function formatShortDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : noBreak(shortDay.format(date));
}

/** "31 Jan 1990" for a YYYY-MM-DD date such as a date of birth. */
export function formatShortDate(isoDate: string): string {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : noBreak(shortDate.format(date));
}
