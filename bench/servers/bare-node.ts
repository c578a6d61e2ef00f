/** Benchmark baseline only: a bare node:http server that reads the body and answers a canned JSON success. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({
  result: {
    work_item: {
      display_name: 'Interaction: IMS0000221',
      sys_id: 'bfa3a27e87bd5210be070d48dabb3588',
      document_id: '59616aba87bd5210be070d48dabb35e6',
      document_table: 'interaction',
      queue: '92f8942787851210be070d48dabb35fb',
    },
    success: true,
    message: 'Manual assignment successfully requested.',
  },
});

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
