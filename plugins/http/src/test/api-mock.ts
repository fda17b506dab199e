/** The HTTP APIs the tests call, mocked with msw; every request is recorded as it left the host. */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ELSEWHERE_HOST, INTEGRATION_HOST, PUBLIC_HOST } from './http-host.ts';

export interface Recorded { method: string; url: string; headers: Record<string, string>; body: string }

export function apiMock() {
  const requests: Recorded[] = [];
  const record = async (request: Request) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => { headers[name] = value; });
    requests.push({ method: request.method, url: request.url, headers, body: await request.text() });
  };
  const server = setupServer(
    http.get(`https://${PUBLIC_HOST}/v2/countries`, async ({ request }) => {
      await record(request);
      return HttpResponse.json([{ code: 'PT', name: 'Portugal' }, { code: 'SE', name: 'Sweden' }], { headers: { 'x-request-id': 'req_81a2' } });
    }),
    http.get(`https://${PUBLIC_HOST}/robots.txt`, async ({ request }) => {
      await record(request);
      return HttpResponse.text('User-agent: *\nDisallow: /private\n');
    }),
    http.get(`https://${PUBLIC_HOST}/big`, async ({ request }) => {
      await record(request);
      return HttpResponse.text('x'.repeat(120_000));
    }),
    http.all(`https://${INTEGRATION_HOST}/*`, async ({ request }) => {
      await record(request);
      const url = new URL(request.url);
      if (url.pathname === '/v1/export') return new HttpResponse(null, { status: 302, headers: { location: `https://${ELSEWHERE_HOST}/exports/42.csv` } });
      if (url.pathname === '/v1/items/404') return HttpResponse.json({ error: { type: 'not_found', message: 'No item 404' } }, { status: 404 });
      if (request.method === 'HEAD') return new HttpResponse(null, { status: 200, headers: { 'x-total-count': '3' } });
      if (request.method === 'POST') return HttpResponse.json({ id: 'item_123', created: true }, { status: 201 });
      return HttpResponse.json({ items: [{ id: 'item_1' }], path: url.pathname });
    }),
    http.get(`https://${ELSEWHERE_HOST}/exports/42.csv`, async ({ request }) => {
      await record(request);
      return HttpResponse.text('id,name\n1,Widget\n', { headers: { 'content-type': 'text/csv' } });
    }),
  );
  return { server, requests, reset: () => { requests.length = 0; } };
}
