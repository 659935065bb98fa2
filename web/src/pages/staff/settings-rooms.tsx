// The clinic's rooms: the list (GET …/rooms) and a new one (POST …/rooms: a name, and whether it is
// a dosing room or a therapy room). The create carries an Idempotency-Key (a second click is the
// same room).
import { useState, type FormEvent } from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Button, ErrorAlert, Field, Loading, TableWrap } from '../../components/ui.tsx';
import type { Clinic } from '../../lib/clinic-data.ts';
import { useLoad } from '../../lib/use-load.ts';
import { FormProblem, useSettingsForm, useUnsaved, type LocalErrors } from './settings-common.tsx';

type Kind = 'dosing' | 'therapy';
const KIND_NAMES: Record<Kind, string> = { dosing: 'Dosing room', therapy: 'Therapy room' };
const KIND_HINTS: Record<Kind, string> = {
  dosing: 'For dosing sessions.',
  therapy: 'For intakes, evaluations, preparation and integration.',
};

export function RoomsSection({ clinic }: { clinic: Clinic }) {
  const { api } = useApp();
  const list = useLoad(() => ok(api.GET('/v1/clinics/{clinicId}/rooms', { params: { path: { clinicId: clinic.id } } })), [api, clinic.id]);
  const [added, setAdded] = useState<string>();
  return (
    <>
      <section className="card" aria-labelledby="rooms-title">
        <h2 id="rooms-title">Rooms</h2>
        {added && <Alert kind="success">{added} was added.</Alert>}
        {list.error ? (
          <ErrorAlert error={list.error} title="The rooms could not load" />
        ) : !list.data ? (
          <Loading />
        ) : list.data.length === 0 ? (
          <p className="empty">No rooms yet: sessions in person need one.</p>
        ) : (
          <TableWrap label={`Rooms of ${clinic.name}`}>
            <table>
              <caption className="visually-hidden">Rooms of {clinic.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                </tr>
              </thead>
              <tbody>
                {[...list.data]
                  .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name))
                  .map((r) => (
                    <tr key={r.id}>
                      <th scope="row">{r.name}</th>
                      <td>{KIND_NAMES[r.kind]}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <NewRoom
        clinic={clinic}
        onAdded={(name) => {
          setAdded(name);
          void list.reload();
        }}
      />
    </>
  );
}

function NewRoom({ clinic, onAdded }: { clinic: Clinic; onAdded: (name: string) => void }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('therapy');
  const sending = useSettingsForm(clinic.id);
  useUnsaved('new-room', name.trim() !== '');

  const submit = (e: FormEvent) =>
    sending.submit(
      e,
      () => {
        const trimmed = name.trim();
        const problems: LocalErrors = trimmed === '' ? { name: 'Enter the room’s name.' } : {};
        return {
          problems,
          send: (key) =>
            ok(
              api.POST('/v1/clinics/{clinicId}/rooms', {
                params: { path: { clinicId: clinic.id } },
                headers: { 'idempotency-key': key },
                body: { name: trimmed, kind },
              }),
            ),
        };
      },
      (room) => {
        setName('');
        onAdded(room.name);
      },
    );

  return (
    <form className="card form settings-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-room-title">
      <h2 id="new-room-title">Add a room</h2>
      <FormProblem
        error={sending.error}
        local={sending.local}
        title="The room was not added"
        labels={{ name: 'Room name', kind: 'Kind of room' }}
      />
      <Field
        label="Room name"
        autoComplete="off"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          sending.renewKey();
        }}
        error={sending.err('name')}
      />
      <fieldset className="choices">
        <legend>Kind of room</legend>
        {(['therapy', 'dosing'] as const).map((k) => (
          <div key={k} className="choice">
            <input
              type="radio"
              id={`room-kind-${k}`}
              name="room-kind"
              value={k}
              checked={kind === k}
              aria-describedby={`room-kind-${k}-hint`}
              onChange={() => {
                setKind(k);
                sending.renewKey();
              }}
            />
            <label htmlFor={`room-kind-${k}`}>{KIND_NAMES[k]}</label>
            <p className="hint" id={`room-kind-${k}-hint`}>
              {KIND_HINTS[k]}
            </p>
          </div>
        ))}
      </fieldset>
      <Button type="submit" busy={sending.busy}>
        Add room
      </Button>
    </form>
  );
}
