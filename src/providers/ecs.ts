import type { ProviderSelector } from './types.js';

/**
 * The usual way an Elastic integration's log is selected: its data stream's index pattern, or
 * its dataset named in `data_stream.dataset` / `event.dataset`.
 */
export function ecsDataset(dataset: string, eventFields: string[], extraWhere: ProviderSelector['where'] = []): ProviderSelector {
  return {
    sources: [`logs-${dataset}*`],
    where: [{ field: 'data_stream.dataset', values: [dataset] }, { field: 'event.dataset', values: [dataset] }, ...extraWhere],
    eventFields,
  };
}
