// The front desk's client search (POST /v1/clinics/{clinicId}/clients/search, an extension of the
// published API) on DynamoDB Local: a Query of the clinic's client index filtered on the profile's
// search text (shared/domain/client-search.ts). What was typed goes in the body, never the URL;
// every client listed is audited; a clinic's search never lists another clinic's clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, clinician, createTestApi, finance, frontdesk, signUp, type TestApi } from '#test/helpers/api.ts';

let api: TestApi;
const tag = `Srch${Math.random().toString(36).slice(2, 7)}`; // a last name nobody else has
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await createTestApi();
  ids.robin = await signUp(api, { firstName: 'Robin', lastName: `${tag} Quist`, email: 'robin.q@example.com', phone: '+12125550171' });
  ids.zoe = await signUp(api, { firstName: 'Zoë', lastName: `${tag} Abel`, email: 'zoe.a@example.com', phone: '+12125550172' });
  ids.rob = await signUp(api, { firstName: 'Roberta', lastName: `${tag} Zimmer`, email: 'rz@example.com', phone: '+12125550173' });
  // same name, other clinic
  ids.tor = await signUp(api, { clinicId: 'demo-tor', firstName: 'Robin', lastName: `${tag} Quist`, phone: '+14165550171' });
}, 60_000);
afterAll(async () => api?.close());

const search = (q: string, as = frontdesk(), clinicId = 'demo-nyc') =>
  api.call('POST', `/v1/clinics/${clinicId}/clients/search`, { as, body: { q } });
const found = async (q: string, as = frontdesk()) => {
  const res = await search(q, as);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.clients as { id: string }[]).map((c) => c.id);
};

describe('client search', () => {
  it('finds by the start of any word of the name, accents and case aside, by last name then first', async () => {
    expect(await found(tag)).toEqual([ids.zoe, ids.robin, ids.rob]); // Abel, Quist, Zimmer
    expect(await found(`rob ${tag}`)).toEqual([ids.robin, ids.rob]);
    expect(await found(`ZOE ${tag.toLowerCase()}`)).toEqual([ids.zoe]);
    expect(await found(`${tag} quist`)).toEqual([ids.robin]); // not the Toronto one
  });

  it('finds by e-mail address and by phone number as typed', async () => {
    expect(await found('robin.q@example.com')).toEqual([ids.robin]);
    expect(await found('(212) 555-0172')).toEqual([ids.zoe]);
  });

  it('finds by the last four digits or the local number, and short digits only at the start', async () => {
    // three of them must not be how the number itself starts (+1 646 …): that is a real match
    let last4 = String(1000 + Math.floor(Math.random() * 9000));
    while (['164', '646'].includes(last4.slice(1))) last4 = String(1000 + Math.floor(Math.random() * 9000));
    const id = await signUp(api, { firstName: 'Dee', lastName: `${tag} Digits`, phone: `+1646555${last4}` });
    expect(await found(last4)).toContain(id);
    expect(await found(`555-${last4}`)).toContain(id);
    expect(await found(`646 555 ${last4.slice(0, 2)}`)).toContain(id);
    expect(await found(last4.slice(1))).not.toContain(id); // three digits: a number's start only
    expect(await found(`9${last4}`)).not.toContain(id);
  });

  it('answers what it shows and nothing of the course of care', async () => {
    const res = await search(`zoe ${tag}`);
    expect(res.body.clients).toEqual([
      {
        id: ids.zoe,
        firstName: 'Zoë',
        lastName: `${tag} Abel`,
        dateOfBirth: '1985-04-12',
        phone: '+12125550172',
        email: 'zoe.a@example.com',
      },
    ]);
  });

  it('follows a change of name', async () => {
    const res = await api.call('PATCH', `/v1/clients/${ids.rob}`, { as: frontdesk(), body: { lastName: `${tag} Yates` } });
    expect(res.status).toBe(200);
    expect(await found(`${tag} zimmer`)).toEqual([]);
    expect(await found(`${tag} yat`)).toEqual([ids.rob]);
  });

  it('every staff role of the clinic may search; another clinic’s staff may not', async () => {
    for (const as of [clinician(), finance(), admin]) expect(await found(`${tag} quist`, as)).toEqual([ids.robin]);
    expect((await search(`${tag}`, frontdesk('demo-tor'))).status).toBe(403);
    const tor = await search(`${tag} quist`, frontdesk('demo-tor'), 'demo-tor');
    expect(tor.body.clients.map((c: { id: string }) => c.id)).toEqual([ids.tor]);
  });

  it('audits every client listed, in the searcher’s name', async () => {
    const searchesOf = async (id: string) => {
      const trail = await api.call('GET', `/v1/clients/${id}/audit`, { as: admin });
      return (trail.body.entries as { action: string; actor: { sub: string } }[]).filter((e) => e.action === 'clients.search');
    };
    const [robinBefore, zoeBefore] = [await searchesOf(ids.robin!), await searchesOf(ids.zoe!)];
    await search(`${tag} quist`, clinician());
    const robinAfter = await searchesOf(ids.robin!);
    expect(robinAfter).toHaveLength(robinBefore.length + 1);
    expect(robinAfter.map((e) => e.actor.sub)).toContain(clinician().sub);
    expect(await searchesOf(ids.zoe!)).toHaveLength(zoeBefore.length); // not listed, not audited
  });

  it('answers at most 20, alphabetically', async () => {
    const many = `Many${Math.random().toString(36).slice(2, 7)}`;
    for (let i = 0; i < 23; i++) await signUp(api, { lastName: `${many} ${String.fromCharCode(97 + i)}x` });
    const res = await search(many);
    expect(res.body.clients).toHaveLength(20);
    const last = (res.body.clients as { lastName: string }[]).map((c) => c.lastName);
    expect(last).toEqual([...last].sort());
    expect(last[0]).toBe(`${many} ax`);
  });

  it('refuses a query too short or with nothing to look for (400 on q), writing nothing', async () => {
    const before = await api.items();
    for (const q of ['r', '  ', '-- ..']) {
      const res = await search(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.details[0].path).toBe('q');
    }
    expect(await api.items()).toEqual(before);
  });
});
