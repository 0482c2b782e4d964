// Evaluates each case of a CEL corpus (JSON lines: expr, statusCode, body, headers) with @marcbachmann/cel-js and
// prints one JSON line per case: {"result": true|false} or {"error": "..."}. Variables as the probe builds them
// (Connectors.Modules.Probes.CelResponse): statusCode is an int (BigInt), JSON numbers are doubles.
import { readFileSync } from 'node:fs';
import { evaluate } from '@marcbachmann/cel-js';

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim() !== '');
for (const line of lines) {
  const c = JSON.parse(line);
  let json = null;
  try { json = c.body === '' ? null : JSON.parse(c.body); } catch { json = null; }
  const code = BigInt(c.statusCode);
  const vars = {
    response: { statusCode: code, headers: c.headers, body: json, bodyString: c.body },
    statusCode: code, headers: c.headers, body: json, bodyJSON: json, bodyString: c.body,
  };
  let out;
  try {
    const v = evaluate(c.expr, vars);
    out = typeof v === 'boolean' ? { result: v } : { error: `not a bool: ${typeof v}` };
  } catch (e) {
    out = { error: String(e.message).split('\n')[0] };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}
