// The threat report: `GET /threat-report` is the form; `POST /threat-report` (the form: pasted text and/or an
// uploaded text file, multipart or urlencoded) renders what the report names against the rules, and
// `POST /api/threat-report` answers the same as JSON (a body `{"text": ...}`, plain text, or the form),
// `format=csv` as CSV, `format=layer` as a Navigator layer of its techniques. Bodies are read with
// request-body.ts's limit; the server lets a POST through only after its Host and Origin checks. The
// Explore filters in the query string choose the rules, as on the other coverage views. Nothing is fetched.
import type { IncomingMessage } from 'node:http';
import { decodeText } from '../catalog/decode.js';
import { catalogMatrix } from '../coverage/catalog-matrix.js';
import { threatReportCsv } from '../coverage/csv.js';
import { threatReportLayer } from '../coverage/threat-layer.js';
import { threatReportCoverage, threatReportIndex, threatReportIndexBytes } from '../coverage/threat-report.js';
import type { WebContext } from './context.js';
import { parseCoverageParams } from './coverage-params.js';
import { type CoverageReply, type CoverageRoute, coverageRules, data, layerReply, page } from './coverage-routes.js';
import { renderThreatReport } from './pages/threat-report.js';
import { perCatalogIndex } from './per-catalog.js';
import { threatsOf } from './threat-routes.js';
import { isJsonContent, parseJsonBody, readBodyBytes } from './request-body.js';

const pagePath = '/threat-report';
const apiPath = '/api/threat-report';
const jsonType = 'application/json; charset=utf-8';

/** Paths answered to POST. */
export function isThreatReportPost(path: string): boolean {
  return path === pagePath || path === apiPath;
}

const apiError = (status: number, error: string, headers?: Record<string, string>): CoverageReply => ({
  status,
  contentType: jsonType,
  body: Buffer.from(JSON.stringify({ error }), 'utf8'),
  ...(headers ? { headers } : {}),
});

/** GET: the empty form; the API path answers POST only. */
export function threatReportRoute(ctx: WebContext, path: string, params: URLSearchParams): CoverageRoute | undefined {
  if (path === apiPath) return { make: () => apiError(405, `${apiPath} answers POST with the report's text`, { allow: 'POST' }) };
  if (path !== pagePath) return undefined;
  const p = parseCoverageParams(params);
  return { key: `${path}?${params.toString()}`, make: () => page(renderThreatReport(ctx, p)) };
}

type ReportText = { ok: true; text: string } | { ok: false; status: 400 | 413 | 415; error: string };

/** A file's or body's bytes as text: UTF-8, or UTF-16 with its mark; a binary file (NUL bytes) is refused. */
function textOf(bytes: Uint8Array, what: string): ReportText {
  const decoded = decodeText(bytes);
  if (decoded.refused) return { ok: false, status: 400, error: `${what} is not text: ${decoded.refused}` };
  if (decoded.text.includes('\u0000')) return { ok: false, status: 400, error: `${what} is not a text file` };
  return { ok: true, text: decoded.text };
}

/** The report's text from a form: the `text` field and the uploaded `file`, both when both are given. */
async function formText(bytes: Buffer, contentType: string): Promise<ReportText> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { ok: false, status: 400, error: 'the form could not be read' };
  }
  const parts: string[] = [];
  const pasted = form.get('text');
  if (typeof pasted === 'string' && pasted.trim()) parts.push(pasted);
  const file = form.get('file');
  if (file && typeof file !== 'string' && file.size > 0) {
    const read = textOf(new Uint8Array(await file.arrayBuffer()), 'the uploaded file');
    if (!read.ok) return read;
    parts.push(read.text);
  }
  return { ok: true, text: parts.join('\n\n') };
}

async function reportText(req: IncomingMessage): Promise<ReportText> {
  const body = await readBodyBytes(req);
  if (!body.ok) return body;
  const contentType = req.headers['content-type'] ?? '';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'multipart/form-data' || type === 'application/x-www-form-urlencoded') return formText(body.bytes, contentType);
  if (isJsonContent(req)) {
    const read = textOf(body.bytes, 'the body');
    if (!read.ok) return read;
    const parsed = parseJsonBody(read.text);
    if (!parsed.ok) return { ok: false, status: 400, error: parsed.error };
    const value = parsed.value;
    const text = typeof value === 'string' ? value : (value as { text?: unknown } | null)?.text;
    return typeof text === 'string' ? { ok: true, text } : { ok: false, status: 400, error: 'send {"text": "<the report>"}' };
  }
  if (type === 'text/plain' || type === '') return textOf(body.bytes, 'the body');
  return { ok: false, status: 415, error: 'send the report as a form, text/plain or application/json {"text": ...}' };
}

/** A POST to either path. 413 answers mean the body was not read to its end: the caller closes the connection. */
export async function threatReportPost(
  ctx: WebContext,
  req: IncomingMessage,
  path: string,
  params: URLSearchParams,
): Promise<CoverageReply> {
  const api = path === apiPath;
  const p = parseCoverageParams(params);
  const read = await reportText(req);
  if (!read.ok) {
    if (api) return apiError(read.status, read.error);
    return { ...page(renderThreatReport(ctx, p, undefined, `The report was not read: ${read.error}.`)), status: read.status };
  }
  const { store } = ctx;
  const index = catalogMatrix(store);
  const threats = threatsOf(store);
  const lookups = perCatalogIndex(store, 'threat report', () => threatReportIndex(threats, index), threatReportIndexBytes);
  const coverage = threatReportCoverage(read.text, coverageRules(store, p), index, threats, store.mine, lookups);
  if (!api) return page(renderThreatReport(ctx, p, { text: read.text, coverage }));
  const format = params.get('format');
  if (format === 'layer') return layerReply('ruleatlas-threat-report-layer.json', threatReportLayer(coverage));
  return data(format, 'threat-report', coverage, () => threatReportCsv(coverage));
}
