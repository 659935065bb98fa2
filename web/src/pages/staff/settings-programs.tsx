// The clinic's programs: the list with prices in the clinic's currency (GET …/programs answers the
// programs on sale: a retired one is left out, and its `retired` flag is shown should one come),
// a new one (POST …/programs, with an Idempotency-Key), and retiring one (POST …/retire) after a
// confirmation: it is no longer sold, and clients who bought it keep their sessions.
//
// The API wants `explorations` and `includes.exploration` equal, so the form asks once ("Dosing
// sessions") and sends both. The price is optional: without one the API prices the program at
// the catalog's list prices, which the form works out from the catalog and shows beside it.
import { useState, type FormEvent } from 'react';
import { ok } from '../../api/client.ts';
import { fieldError } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { ConfirmPanel } from '../../components/confirm-panel.tsx';
import { Alert, Badge, Button, ErrorAlert, Field, Loading, Select, TableWrap } from '../../components/ui.tsx';
import { forgetClinicSetup, type Clinic, type Program, type Service } from '../../lib/clinic-data.ts';
import { formatMoney } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import {
  currencyWords,
  FormProblem,
  moneyProblem,
  parseMoney,
  parseWhole,
  useSettingsForm,
  useUnsaved,
  WHOLE,
  type LocalErrors,
} from './settings-common.tsx';

const TIERS = { standard: 'Standard support', extra_support: 'Extra support' } as const;
type Tier = keyof typeof TIERS;

export function ProgramsSection({ clinic }: { clinic: Clinic }) {
  const { api } = useApp();
  const path = { params: { path: { clinicId: clinic.id } } };
  const list = useLoad(() => ok(api.GET('/v1/clinics/{clinicId}/programs', path)), [api, clinic.id]);
  const services = useLoad(() => ok(api.GET('/v1/clinics/{clinicId}/services', path)), [api, clinic.id]);
  const [note, setNote] = useState<string>();
  const [confirming, setConfirming] = useState<Program>();
  const [retiring, setRetiring] = useState(false);
  const [retireError, setRetireError] = useState<unknown>();

  const retire = async (program: Program) => {
    if (retiring) return;
    setRetiring(true);
    setRetireError(undefined);
    try {
      await ok(
        api.POST('/v1/clinics/{clinicId}/programs/{programId}/retire', {
          params: { path: { clinicId: clinic.id, programId: program.id } },
          body: {},
        }),
      );
      forgetClinicSetup(clinic.id);
      setConfirming(undefined);
      setNote(`“${program.name}” was retired: it is no longer sold. Clients who bought it keep their sessions.`);
      await list.reload();
    } catch (caught) {
      setRetireError(caught);
    } finally {
      setRetiring(false);
    }
  };

  return (
    <>
      <section className="card" aria-labelledby="programs-title">
        <h2 id="programs-title">Programs on sale</h2>
        {note && <Alert kind="success">{note}</Alert>}
        {list.error ? (
          <ErrorAlert error={list.error} title="The programs could not load" />
        ) : !list.data ? (
          <Loading />
        ) : list.data.length === 0 ? (
          <p className="empty">No programs on sale.</p>
        ) : (
          <TableWrap label={`Programs of ${clinic.name}`}>
            <table>
              <caption className="visually-hidden">Programs of {clinic.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Program</th>
                  <th scope="col">Includes</th>
                  <th scope="col" className="num">
                    Price
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      {p.name}
                      <span className="row-detail">{TIERS[p.tier]}</span>
                    </th>
                    <td>{includesText(p.includes)}</td>
                    <td className="num">{formatMoney(p.price)}</td>
                    <td>
                      {p.retired ? (
                        <Badge>Retired</Badge>
                      ) : (
                        <Button
                          kind="secondary"
                          className="btn-small"
                          aria-expanded={confirming?.id === p.id}
                          onClick={() => {
                            setNote(undefined);
                            setRetireError(undefined);
                            setConfirming(p);
                          }}
                        >
                          Retire<span className="visually-hidden"> {p.name}</span>
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {confirming && (
          <ConfirmPanel
            subject={confirming}
            question={`Retire “${confirming.name}”?`}
            more="Clients who bought it keep their sessions."
            hint="It is no longer offered to clients. This cannot be undone here."
            error={retireError}
            errorTitle="The program was not retired"
            yes="Yes, retire it"
            no="Keep selling it"
            busy={retiring}
            onYes={() => void retire(confirming)}
            onNo={() => setConfirming(undefined)}
          />
        )}
      </section>
      <NewProgram
        clinic={clinic}
        services={services.data}
        onCreated={(p) => {
          setNote(`“${p.name}” was created, at ${formatMoney(p.price)}.`);
          void list.reload();
        }}
      />
    </>
  );
}

function includesText(i: Program['includes']): string {
  const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
  return `${n(i.preparation, 'preparation')}, ${n(i.exploration, 'dosing session')}, ${n(i.integration, 'integration')}`;
}

interface Form {
  name: string;
  tier: Tier;
  explorations: string;
  preparation: string;
  integration: string;
  price: string;
}
const emptyForm = (): Form => ({ name: '', tier: 'standard', explorations: '4', preparation: '2', integration: '2', price: '' });

const LABELS: Record<string, string> = {
  name: 'Program name',
  tier: 'Support',
  explorations: 'Dosing sessions',
  'includes.exploration': 'Dosing sessions',
  'includes.preparation': 'Preparation sessions',
  'includes.integration': 'Integration sessions',
  includes: 'Dosing sessions',
  price: 'Price (optional)',
};

/** The catalog's list price of what the form includes (the API's default price), if it can be worked out. */
function listPrice(services: Service[] | undefined, counts: Record<'preparation' | 'exploration' | 'integration', number | undefined>) {
  if (!services) return undefined;
  let amount = 0;
  for (const [code, n] of Object.entries(counts)) {
    const s = services.find((x) => x.code === code);
    if (n === undefined || !s) return undefined;
    amount += s.price.amount * n;
  }
  return amount;
}

function NewProgram({ clinic, services, onCreated }: { clinic: Clinic; services: Service[] | undefined; onCreated: (p: Program) => void }) {
  const { api } = useApp();
  const [form, setForm] = useState(emptyForm);
  const sending = useSettingsForm(clinic.id);
  useUnsaved('new-program', JSON.stringify(form) !== JSON.stringify(emptyForm()));
  const set = (k: keyof Form) => (e: { target: { value: string } }) => {
    const value = e.target.value;
    setForm((f) => ({ ...f, [k]: value }));
    sending.renewKey();
  };
  const err = (...paths: string[]) => paths.map((p) => sending.err(p)).find(Boolean);
  const atList = listPrice(services, {
    preparation: parseWhole(form.preparation),
    exploration: parseWhole(form.explorations),
    integration: parseWhole(form.integration),
  });

  const submit = (e: FormEvent) =>
    sending.submit(
      e,
      () => {
        const problems: LocalErrors = {};
        const name = form.name.trim();
        if (name === '') problems.name = 'Enter the program’s name.';
        const explorations = parseWhole(form.explorations);
        const preparation = parseWhole(form.preparation);
        const integration = parseWhole(form.integration);
        if (explorations === undefined) problems.explorations = WHOLE;
        if (preparation === undefined) problems['includes.preparation'] = WHOLE;
        if (integration === undefined) problems['includes.integration'] = WHOLE;
        const price = form.price.trim() === '' ? undefined : parseMoney(form.price);
        if (form.price.trim() !== '' && price === undefined) problems.price = moneyProblem(clinic.currency);
        if (explorations === undefined || preparation === undefined || integration === undefined) return { problems };
        return {
          problems,
          send: (key) =>
            ok(
              api.POST('/v1/clinics/{clinicId}/programs', {
                params: { path: { clinicId: clinic.id } },
                headers: { 'idempotency-key': key },
                body: {
                  name,
                  explorations,
                  tier: form.tier,
                  includes: { preparation, exploration: explorations, integration },
                  ...(price !== undefined ? { price } : {}),
                },
              }),
            ),
        };
      },
      (program) => {
        setForm(emptyForm());
        onCreated(program);
      },
    );

  return (
    <form className="card form settings-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-program-title">
      <h2 id="new-program-title">Create a program</h2>
      <FormProblem error={sending.error} local={sending.local} title="The program was not created" labels={LABELS} />
      <Field
        label="Program name"
        hint="Clients see it, and receipts print it: it must not name the treatment, a drug, dosing or a diagnosis."
        autoComplete="off"
        value={form.name}
        onChange={set('name')}
        error={err('name')}
      />
      <Select
        label="Support"
        value={form.tier}
        onChange={(v) => {
          setForm((f) => ({ ...f, tier: v === 'extra_support' ? 'extra_support' : 'standard' }));
          sending.renewKey();
        }}
        options={Object.entries(TIERS).map(([value, label]) => ({ value, label }))}
      />
      <fieldset>
        <legend>Sessions included</legend>
        <div className="grid-3">
          <Field
            label="Dosing sessions"
            inputMode="numeric"
            autoComplete="off"
            value={form.explorations}
            onChange={set('explorations')}
            error={err('explorations', 'includes.exploration') ?? fieldError(sending.error, 'includes')}
          />
          <Field
            label="Preparation sessions"
            inputMode="numeric"
            autoComplete="off"
            value={form.preparation}
            onChange={set('preparation')}
            error={err('includes.preparation')}
          />
          <Field
            label="Integration sessions"
            inputMode="numeric"
            autoComplete="off"
            value={form.integration}
            onChange={set('integration')}
            error={err('includes.integration')}
          />
        </div>
      </fieldset>
      <Field
        label="Price (optional)"
        hint={`In ${currencyWords(clinic.currency)}, e.g. 2400.00. Empty: the sessions at list price${
          atList !== undefined ? ` (${formatMoney({ amount: atList, currency: clinic.currency })})` : ''
        }.`}
        inputMode="decimal"
        autoComplete="off"
        value={form.price}
        onChange={set('price')}
        error={err('price')}
      />
      <Button type="submit" busy={sending.busy}>
        Create program
      </Button>
    </form>
  );
}
