// Which log an event comes from: named by the user (`--log-type`), or recognised by its shape.
// Shapes recognised: a Windows event as XML rendered to JSON (`Event.System` with `Channel` and
// `EventID`, as evtx dumps and the Sigma regression samples give it), and a Windows event already
// flat (top-level `Channel` and `EventID`); an Elastic (ECS) event by `_index`, `data_stream.dataset`,
// `event.dataset` or `event.category`; a Panther event by `p_log_type`; a Splunk event by `sourcetype`, or
// a CIM data-model row by its `<Object>.<field>` names; a UDM event by its `metadata`. Anything else is an unknown log unless named.
import type { EventLog } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An XML element's text: itself when scalar, its `#text` when it has attributes too. */
function xmlText(v: unknown): unknown {
  return isObj(v) && '#text' in v ? v['#text'] : v;
}

function windowsSystem(event: unknown): Obj | undefined {
  const root = isObj(event) && isObj(event.Event) ? event.Event : undefined;
  return root && isObj(root.System) ? root.System : undefined;
}

export function recogniseLog(event: unknown, given?: string): EventLog {
  const system = windowsSystem(event);
  let windows: EventLog['windows'];
  let how = 'not recognised (name it with --log-type)';
  if (system && system.Channel !== undefined && system.EventID !== undefined) {
    const provider = isObj(system.Provider) && isObj(system.Provider['#attributes']) ? system.Provider['#attributes'].Name : undefined;
    windows = { channel: String(xmlText(system.Channel)), eventId: String(xmlText(system.EventID)), provider: String(provider ?? '') };
    how = 'Windows event shape: Event.System Channel and EventID';
  } else if (isObj(event) && typeof event.Channel === 'string' && event.EventID !== undefined && !isObj(event.EventID)) {
    const provider = event.Provider_Name ?? event.ProviderName ?? '';
    windows = { channel: event.Channel, eventId: String(event.EventID), provider: String(provider) };
    how = 'flat Windows event: Channel and EventID';
  }
  const elastic = elasticLog(event);
  if (!windows && elastic) how = 'Elastic event shape: event.category, event.dataset, data_stream or _index';
  const pantherType = isObj(event) && typeof event.p_log_type === 'string' ? event.p_log_type : undefined;
  if (!windows && !elastic && pantherType) how = 'Panther event shape: p_log_type';
  const panther = pantherType ? { panther: { logType: pantherType } } : {};
  const splunk = splunkLog(event);
  const udm = udmLog(event);
  if (!windows && !elastic && !pantherType && splunk)
    how = splunk.sourcetype !== undefined ? 'Splunk event shape: sourcetype' : 'Splunk data-model row: fields named <Object>.<field>';
  if (!windows && !elastic && !pantherType && !splunk && udm) how = 'UDM event shape: metadata';
  const shapes = {
    ...(windows ? { windows } : {}),
    ...(elastic ? { elastic } : {}),
    ...panther,
    ...(splunk ? { splunk } : {}),
    ...(udm ? { udm } : {}),
  };
  if (given !== undefined) return { given, how: '--log-type', ...shapes };
  return { how, ...shapes };
}

/**
 * A Splunk event: `sourcetype` (with `source` and `index` when given), or a row of a CIM data model,
 * whose keys are named after their object as tstats writes them (`"Processes.process_name"`; object
 * names are capitalised, which tells them from an ECS dotted key such as `"process.name"`).
 */
function splunkLog(event: unknown): EventLog['splunk'] {
  if (!isObj(event)) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const objects = new Set<string>();
  for (const key of Object.keys(event)) {
    const dot = key.indexOf('.');
    if (dot > 0 && /^[A-Z][A-Za-z0-9_]*$/.test(key.slice(0, dot))) objects.add(key.slice(0, dot));
  }
  const sourcetype = text(event.sourcetype);
  if (sourcetype === undefined && objects.size === 0) return undefined;
  const source = text(event.source);
  const index = text(event.index);
  return {
    ...(sourcetype !== undefined ? { sourcetype } : {}),
    ...(source !== undefined ? { source } : {}),
    ...(index !== undefined ? { index } : {}),
    dataModelObjects: [...objects],
  };
}

/** A UDM event: `metadata` with an event type or log type (snake_case as rules write it, or camelCase as exports do), also under `udm`. */
function udmLog(event: unknown): EventLog['udm'] {
  const root = isObj(event) && isObj(event.udm) ? event.udm : event;
  if (!isObj(root) || !isObj(root.metadata)) return undefined;
  const m = root.metadata;
  if (!['event_type', 'eventType', 'log_type', 'logType', 'product_event_type', 'productEventType'].some((k) => k in m)) return undefined;
  const logType = m.log_type ?? m.logType;
  return typeof logType === 'string' ? { logType } : {};
}

/** A field of an ECS event, nested (`event: {dataset}`) or as a dotted key (`"event.dataset"`). */
function ecsValue(event: Obj, path: string): unknown {
  if (path in event) return event[path];
  let current: unknown = event;
  for (const key of path.split('.')) current = isObj(current) ? current[key] : undefined;
  return current;
}

/** An Elastic event's index, dataset and categories, when it says any of them. */
function elasticLog(event: unknown): EventLog['elastic'] {
  if (!isObj(event)) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const streamDataset = text(ecsValue(event, 'data_stream.dataset'));
  const namespace = text(ecsValue(event, 'data_stream.namespace')) ?? 'default';
  const index = text(event._index) ?? (streamDataset ? `logs-${streamDataset}-${namespace}` : undefined);
  const dataset = streamDataset ?? text(ecsValue(event, 'event.dataset'));
  const category = ecsValue(event, 'event.category');
  const categories = (Array.isArray(category) ? category : [category]).filter((c): c is string => typeof c === 'string');
  if (index === undefined && dataset === undefined && categories.length === 0) return undefined;
  return { ...(index ? { index } : {}), ...(dataset ? { dataset } : {}), categories };
}

/**
 * A Windows event as the flat record of fields Sigma rules (and Windows-event tables) name:
 * `Event.System` children by name (`EventID`, `Channel`, `Computer`; an element's attributes as
 * `<element>_<attribute>`: `Provider_Name`, `Security_UserID`), then `Event.EventData` fields
 * (named children, or `Data` items with a `Name` attribute) and `Event.UserData`'s record's
 * fields, never replacing a System field; a data name with spaces (Defender's `Threat Name`) also
 * without them (`ThreatName`, as Sigma rules write it). Undefined for any other shape.
 */
export function flattenWindowsEvent(event: unknown): Readonly<Obj> | undefined {
  if (!isObj(event)) return undefined;
  // Sigma's and SPL's views and the mappers each read it: flattened once per event (an event read is never changed), frozen as shared.
  let flat = flattened.get(event);
  if (flat === undefined) flattened.set(event, (flat = flatten(event) ?? null));
  return flat ?? undefined;
}

const flattened = new WeakMap<Obj, Readonly<Obj> | null>();

function flatten(event: Obj): Readonly<Obj> | undefined {
  const system = windowsSystem(event);
  if (!system) return undefined;
  const root = (event as { Event: Obj }).Event;
  const out: Obj = {};
  for (const [key, value] of Object.entries(system)) {
    if (isObj(value)) {
      if ('#text' in value) out[key] = value['#text'];
      const attributes = value['#attributes'];
      if (isObj(attributes)) for (const [name, v] of Object.entries(attributes)) out[`${key}_${name}`] = v;
    } else out[key] = value;
  }
  // Defender names its fields with spaces (`Threat Name`); Sigma rules write them without (`ThreatName`).
  const add = (key: string, value: unknown) => {
    for (const name of key.includes(' ') ? [key, key.replace(/ /g, '')] : [key]) if (!(name in out)) out[name] = xmlText(value);
  };
  const data = root.EventData;
  if (isObj(data)) {
    const items = data.Data;
    if (Array.isArray(items) || isObj(items)) {
      for (const item of Array.isArray(items) ? items : [items]) {
        const name = isObj(item) && isObj(item['#attributes']) ? item['#attributes'].Name : undefined;
        if (typeof name === 'string') add(name, item);
      }
    }
    for (const [key, value] of Object.entries(data)) if (key !== 'Data' && key !== '#attributes') add(key, value);
  }
  if (isObj(root.UserData)) {
    for (const record of Object.values(root.UserData)) {
      if (isObj(record)) for (const [key, value] of Object.entries(record)) if (key !== '#attributes') add(key, value);
    }
  }
  return Object.freeze(out);
}
