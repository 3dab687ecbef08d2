/**
 * 拠点・支社・部署: the branches, the sites (each in its branch) and the departments, with the number
 * of people in each; a place is renamed in its row and a new one added under its table. Each change
 * is audited in the place's own history.
 */
import { useState } from 'preact/hooks';
import { ApiError, api, errorText, seg } from '../../api';
import { loc } from '../../i18n';
import { ErrorBox, Notice, PageTitle } from '../../components/ui';
import { ta } from './messages';
import { AdminArticles, Tabs } from './shared';
import type { AdminPlace, Organisation, PlaceKind } from './types';

interface PlaceDraft {
  id: string;
  nameJa: string;
  nameEn: string;
  branchId: string;
}

const draftOf = (place: AdminPlace | null): PlaceDraft => ({ id: place?.id ?? '', nameJa: place?.name.ja ?? '', nameEn: place?.name.en ?? '', branchId: place?.branchId ?? '' });

export function PlacesPage({ organisation, reload }: { organisation: Organisation; reload: (blank?: boolean) => void }) {
  const [saved, setSaved] = useState<string | null>(null);
  const count = (kind: PlaceKind, id: string) =>
    organisation.people.filter((p) => (kind === 'site' ? p.siteId : kind === 'branch' ? p.branchId : p.departmentId) === id).length;
  const sections: [PlaceKind, AdminPlace[]][] = [
    ['branch', organisation.branches],
    ['site', organisation.sites],
    ['department', organisation.departments],
  ];
  return (
    <div class="admin-page">
      <PageTitle text={ta('title')} sub={<AdminArticles organisation={organisation} />} />
      <p class="lead">{ta('placesLead')}</p>
      <Tabs current="places" />
      <div aria-live="polite">{saved ? <Notice kind="success">{saved}</Notice> : null}</div>
      {sections.map(([kind, places]) => (
        <section key={kind} class="panel admin-places" aria-labelledby={`places-${kind}`}>
          <h2 id={`places-${kind}`}>{ta(`kind.${kind}`)}</h2>
          <div class="table-scroll">
            <table class="ledger-table admin-table">
              <thead>
                <tr>
                  <th scope="col">{ta('col.placeId')}</th>
                  <th scope="col">{ta('col.placeName')}</th>
                  <th scope="col">{ta('col.placeNameEn')}</th>
                  {kind === 'site' ? <th scope="col">{ta('col.branch')}</th> : null}
                  <th scope="col">{ta('col.people')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{ta('edit')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {places.map((place) => (
                  <PlaceRow key={place.id} kind={kind} place={place} people={count(kind, place.id)} organisation={organisation} onSaved={(text) => { setSaved(text); reload(); }} />
                ))}
              </tbody>
            </table>
          </div>
          <NewPlace kind={kind} organisation={organisation} onSaved={(text) => { setSaved(text); reload(); }} />
        </section>
      ))}
    </div>
  );
}

async function savePlace(kind: PlaceKind, draft: PlaceDraft, stored: AdminPlace | null) {
  const place = { id: draft.id.trim(), name: { ja: draft.nameJa.trim(), en: draft.nameEn.trim() }, ...(kind === 'site' && draft.branchId ? { branchId: draft.branchId } : {}) };
  return stored
    ? api(`/admin/places/${kind}/${seg(stored.id)}`, { method: 'PUT', body: { place, version: stored.version } })
    : api(`/admin/places/${kind}`, { method: 'POST', body: { place } });
}

function problems(error: unknown): string {
  if (error instanceof ApiError && error.issues.length > 0) return error.issues.map((issue) => loc(issue.messages) || issue.message).join(' ');
  return errorText(error);
}

function PlaceFields({ kind, draft, set, organisation, idEditable, prefix }: { kind: PlaceKind; draft: PlaceDraft; set: (patch: Partial<PlaceDraft>) => void; organisation: Organisation; idEditable: boolean; prefix: string }) {
  return (
    <>
      {idEditable ? (
        <div class="field">
          <label class="field-label" for={`${prefix}-id`}>
            {ta('col.placeId')}
          </label>
          <input id={`${prefix}-id`} type="text" value={draft.id} onInput={(e) => set({ id: e.currentTarget.value })} />
        </div>
      ) : null}
      <div class="field">
        <label class="field-label" for={`${prefix}-ja`}>
          {ta('col.placeName')}
        </label>
        <input id={`${prefix}-ja`} type="text" lang="ja" value={draft.nameJa} onInput={(e) => set({ nameJa: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label class="field-label" for={`${prefix}-en`}>
          {ta('col.placeNameEn')}
        </label>
        <input id={`${prefix}-en`} type="text" lang="en" value={draft.nameEn} onInput={(e) => set({ nameEn: e.currentTarget.value })} />
      </div>
      {kind === 'site' ? (
        <div class="field">
          <label class="field-label" for={`${prefix}-branch`}>
            {ta('col.branch')}
          </label>
          <select id={`${prefix}-branch`} value={draft.branchId} onChange={(e) => set({ branchId: e.currentTarget.value })}>
            <option value="">{ta('choose')}</option>
            {organisation.branches.map((b) => (
              <option key={b.id} value={b.id}>
                {loc(b.name)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </>
  );
}

function PlaceRow({ kind, place, people, organisation, onSaved }: { kind: PlaceKind; place: AdminPlace; people: number; organisation: Organisation; onSaved: (text: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(() => draftOf(place));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const columns = kind === 'site' ? 6 : 5;
  if (editing) {
    return (
      <tr class="admin-editing">
        <td colSpan={columns}>
          <form
            class="admin-inline-form"
            noValidate
            onSubmit={async (event) => {
              event.preventDefault();
              setBusy(true);
              setError(null);
              try {
                await savePlace(kind, draft, place);
                setEditing(false);
                onSaved(ta('placeSaved', { name: draft.nameJa || place.id }));
              } catch (failure) {
                setError(problems(failure));
              } finally {
                setBusy(false);
              }
            }}
          >
            <p class="mono">{place.id}</p>
            <PlaceFields kind={kind} draft={draft} set={(patch) => setDraft((d) => ({ ...d, ...patch }))} organisation={organisation} idEditable={false} prefix={`edit-${kind}-${place.id}`} />
            {error ? <ErrorBox>{error}</ErrorBox> : null}
            <div class="actions">
              <button type="submit" class="btn btn-primary btn-small" disabled={busy}>
                {ta('save')}
              </button>
              <button type="button" class="btn btn-small" disabled={busy} onClick={() => { setEditing(false); setDraft(draftOf(place)); setError(null); }}>
                {ta('cancel')}
              </button>
            </div>
          </form>
        </td>
      </tr>
    );
  }
  return (
    <tr>
      <td class="mono">{place.id}</td>
      <td>{place.name.ja}</td>
      <td>{place.name.en}</td>
      {kind === 'site' ? <td>{loc(organisation.branches.find((b) => b.id === place.branchId)?.name) || place.branchId}</td> : null}
      <td>{people}</td>
      <td>
        <button type="button" class="btn btn-small" aria-label={ta('editPlace', { name: loc(place.name) })} onClick={() => { setDraft(draftOf(place)); setEditing(true); }}>
          {ta('edit')}
        </button>
      </td>
    </tr>
  );
}

function NewPlace({ kind, organisation, onSaved }: { kind: PlaceKind; organisation: Organisation; onSaved: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(() => draftOf(null));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = ta('addPlace', { kind: ta(`kind.${kind}`) });
  if (!open) {
    return (
      <p>
        <button type="button" class="btn btn-small" onClick={() => setOpen(true)}>
          {label}
        </button>
      </p>
    );
  }
  return (
    <form
      class="admin-inline-form"
      noValidate
      aria-label={label}
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await savePlace(kind, draft, null);
          setOpen(false);
          setDraft(draftOf(null));
          onSaved(ta('placeSaved', { name: draft.nameJa || draft.id }));
        } catch (failure) {
          setError(problems(failure));
        } finally {
          setBusy(false);
        }
      }}
    >
      <PlaceFields kind={kind} draft={draft} set={(patch) => setDraft((d) => ({ ...d, ...patch }))} organisation={organisation} idEditable prefix={`new-${kind}`} />
      {error ? <ErrorBox>{error}</ErrorBox> : null}
      <div class="actions">
        <button type="submit" class="btn btn-primary btn-small" disabled={busy}>
          {ta('register')}
        </button>
        <button type="button" class="btn btn-small" disabled={busy} onClick={() => { setOpen(false); setError(null); }}>
          {ta('cancel')}
        </button>
      </div>
    </form>
  );
}
