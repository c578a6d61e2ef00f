/**
 * Benchmark baseline only: the naive way to get realistic data, importing faker into the k6 bundle and
 * generating each VU's data in its init context. offer-burst is measured against this and the bare script.
 */
import http from 'k6/http';
import { Faker, en } from '@faker-js/faker';

const faker = new Faker({ locale: [en] });
faker.seed(__VU);
const entries = Array.from({ length: 200 }, () => ({
  document: faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }),
  agent: faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }),
  segment: faker.string.uuid(),
  caller: faker.person.fullName(),
}));

export default function (): void {
  const e = entries[Math.floor(Math.random() * entries.length)]!;
  http.post(
    `${__ENV.OFFERLOAD_TARGET}/api/now/awa/documents/interaction/${e.document}/offer`,
    JSON.stringify({ assignment: { agent_sys_id: e.agent } }),
    {
      tags: { name: 'offer' },
    },
  );
}
