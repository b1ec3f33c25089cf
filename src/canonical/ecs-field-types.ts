// How Elasticsearch maps the ECS fields (and the integration fields Elastic's rules query most), as
// far as it changes what `field: value` means in Kibana KQL and Lucene (languages/elastic-terms.ts).
// Written from the ECS field reference and the integrations' field lists; a field missing here is
// read as a keyword, which is what most ECS fields are.

/**
 * The mapping types that compare differently:
 * - `keyword`, `wildcard`: the whole value, exactly (case-sensitive).
 * - `caseless`: a keyword with a lower-casing normaliser (Elastic Defend's `.caseless` multi-fields).
 * - `text`: `text` and `match_only_text`, analysed into lower-cased words: a value matches words, not the whole field.
 * - `ip`: an address; a CIDR block (`10.0.0.0/8`) matches every address in it.
 * - `long`, `date`, `boolean`: numbers, instants and flags.
 */
export type ElasticFieldType = 'keyword' | 'wildcard' | 'caseless' | 'text' | 'ip' | 'long' | 'date' | 'boolean';

const typed = (type: ElasticFieldType, ...names: string[]) => names.map((name) => [name, type] as const);

export const ecsFieldTypes: ReadonlyMap<string, ElasticFieldType> = new Map([
  ...typed(
    'ip',
    'client.ip',
    'destination.ip',
    'destination.nat.ip',
    'host.ip',
    'observer.ip',
    'related.ip',
    'server.ip',
    'source.ip',
    'source.nat.ip',
  ),
  ...typed('text', 'message', 'error.message', 'powershell.file.script_block_text'),
  ...typed(
    'wildcard',
    'error.stack_trace',
    'http.request.body.content',
    'http.response.body.content',
    'process.command_line',
    'process.parent.command_line',
    'registry.data.strings',
    'url.full',
    'url.original',
    'url.path',
  ),
  ...typed(
    'keyword',
    'data_stream.dataset',
    'destination.domain',
    'dll.name',
    'dll.path',
    'dns.question.name',
    'event.action',
    'event.category',
    'event.code',
    'event.dataset',
    'event.kind',
    'event.module',
    'event.outcome',
    'event.provider',
    'event.type',
    'file.directory',
    'file.extension',
    'file.name',
    'file.path',
    'host.name',
    'host.os.type',
    'network.direction',
    'network.protocol',
    'network.transport',
    'process.args',
    'process.code_signature.subject_name',
    'process.executable',
    'process.name',
    'process.parent.args',
    'process.parent.executable',
    'process.parent.name',
    'process.pe.original_file_name',
    'process.working_directory',
    'registry.path',
    'service.name',
    'user.domain',
    'user.email',
    'user.id',
    'user.name',
    'user_agent.original',
  ),
  ...typed(
    'long',
    'destination.as.number',
    'destination.port',
    'http.response.status_code',
    'process.args_count',
    'process.parent.pid',
    'process.pid',
    'source.as.number',
    'source.port',
  ),
  ...typed('boolean', 'dll.code_signature.trusted', 'file.code_signature.trusted', 'process.code_signature.trusted'),
  ...typed('date', '@timestamp', 'event.created', 'event.ingested', 'process.start'),
]);

/** Multi-fields of a field listed above, by their last name: `process.command_line.text`, `process.name.caseless`. */
export const ecsMultiFieldTypes: ReadonlyMap<string, ElasticFieldType> = new Map([
  ['text', 'text'],
  ['caseless', 'caseless'],
  ['keyword', 'keyword'],
]);
