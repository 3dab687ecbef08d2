/**
 * One person: their name, address, site, department and roles (each role in the kind of place it is
 * held in), saved with a reason. Saving first asks the server what the change would do (`dryRun`):
 * when waiting approvals would move to other people, or a role would be left with nobody, a dialog
 * says so before anything is written. Below the form, the history of the person's record.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText, seg } from '../../api';
import { formatDateTime } from '../../format';
import { loc, t, type Bilingual } from '../../i18n';
import { href, navigate } from '../../router';
import { ConfirmDialog, ErrorBox, Loading, Notice, PageTitle } from '../../components/ui';
import { ta } from './messages';
import { Tabs, forgetOrganisation } from './shared';
import type { AdminPerson, HistoryEvent, Organisation, Reassignment, RoleInfo, SavePersonAnswer } from './types';

interface Draft {
  id: string;
  nameJa: string;
  nameEn: string;
  email: string;
  siteId: string;
  departmentId: string;
  roles: { role: string; scopeId: string }[];
  reason: string;
}

const draftOf = (person: AdminPerson | null): Draft => ({
  id: person?.id ?? '',
  nameJa: person?.name.ja ?? '',
  nameEn: person?.name.en ?? '',
  email: person?.email ?? '',
  siteId: person?.siteId ?? '',
  departmentId: person?.departmentId ?? '',
  roles: (person?.roles ?? []).filter((r) => r.role !== 'employee').map((r) => ({ role: r.role, scopeId: r.scope.id })),
  reason: '',
});

/** A message carried to the person's page after registering them. */
let carried: { id: string; text: string } | null = null;

function bodyOf(draft: Draft, roles: RoleInfo[]) {
  return {
    id: draft.id.trim(),
    name: { ja: draft.nameJa.trim(), en: draft.nameEn.trim() },
    email: draft.email.trim(),
    ...(draft.siteId ? { siteId: draft.siteId } : {}),
    ...(draft.departmentId ? { departmentId: draft.departmentId } : {}),
    roles: draft.roles
      .filter((r) => r.role)
      .map((r) => {
        const scope = roles.find((info) => info.id === r.role)?.scope ?? 'company';
        return { role: r.role, scope: { kind: scope, id: scope === 'company' ? '*' : r.scopeId } };
      }),
  };
}

/** Where the server's issue belongs on the page: `person.roles.1.scope.id` → the second role row. */
function fieldOf(path: string): string {
  const rest = path.replace(/^person\.?/, '');
  const role = /^roles\.(\d+)/.exec(rest);
  if (role) return `role-${role[1]}`;
  if (rest.startsWith('name.en')) return 'nameEn';
  if (rest.startsWith('name')) return 'nameJa';
  return rest.split('.')[0] || 'form';
}

export function ReassignmentList({ items }: { items: Reassignment[] }) {
  return (
    <ul class="admin-reroutes">
      {items.map((r) => {
        const from = r.from.map((p) => loc(p.name)).join(t('punct.list'));
        const to = r.to.length > 0 ? r.to.map((p) => loc(p.name)).join(t('punct.list')) : ta('nobody');
        const vars = { request: r.requestId, form: r.formCode, stage: loc(r.stageLabel), from, to };
        return (
          <li key={`${r.requestId}-${r.stage}`}>
            <a href={href('requests', r.requestId)}>{r.completed ? ta('reroutedCompleted', vars) : ta('rerouted', vars)}</a>
          </li>
        );
      })}
    </ul>
  );
}

export function PersonPage({ id, organisation, reload }: { id: string | null; organisation: Organisation; reload: (blank?: boolean) => void }) {
  const creating = id === null;
  const stored = creating ? null : (organisation.people.find((p) => p.id === id) ?? null);
  const [draft, setDraft] = useState<Draft>(() => draftOf(stored));
  const [version, setVersion] = useState(stored?.version ?? 0);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [preview, setPreview] = useState<SavePersonAnswer | null>(null);
  const [done, setDone] = useState<{ text: string; rerouted: Reassignment[] } | null>(() => (carried && carried.id === id ? { text: carried.text, rerouted: [] } : null));
  const [history, setHistory] = useState<HistoryEvent[] | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    carried = null;
    if (creating) return;
    let live = true;
    api<{ person: AdminPerson; history: HistoryEvent[] }>(`/admin/people/${seg(id!)}`).then(
      (body) => {
        if (!live) return;
        setHistory(body.history);
        setVersion(body.person.version);
      },
      (error) => live && setFailure(error),
    );
    return () => {
      live = false;
    };
  }, [id, done]);

  if (!creating && !stored) {
    return (
      <div class="admin-page">
        <PageTitle text={ta('personEdit')} />
        <ErrorBox>{`${id}`}</ErrorBox>
        <p>
          <a href="#/admin">{ta('back')}</a>
        </p>
      </div>
    );
  }

  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const setRole = (index: number, patch: Partial<Draft['roles'][number]>) =>
    set({ roles: draft.roles.map((r, i) => (i === index ? { ...r, ...patch, ...(patch.role !== undefined && patch.role !== r.role ? { scopeId: '' } : {}) } : r)) });

  const send = async (dryRun: boolean) => {
    const body = { person: bodyOf(draft, organisation.roles), ...(creating ? {} : { version }), ...(draft.reason.trim() ? { reason: draft.reason.trim() } : {}), ...(dryRun ? { dryRun: true } : {}) };
    return api<SavePersonAnswer>(creating ? '/admin/people' : `/admin/people/${seg(id!)}`, { method: creating ? 'POST' : 'PUT', body });
  };

  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.status === 400 && error.issues.length > 0) {
      const found: Record<string, string> = {};
      for (const issue of error.issues) {
        const key = fieldOf(issue.path);
        found[key] = [found[key], loc(issue.messages) || issue.message].filter(Boolean).join(' ');
      }
      setIssues(found);
      window.setTimeout(() => summaryRef.current?.focus(), 0);
    } else setFailure(error);
  };

  const commit = async () => {
    setSaving(true);
    try {
      const saved = await send(false);
      setPreview(null);
      forgetOrganisation();
      if (creating) {
        carried = { id: saved.person.id, text: ta('registered') };
        reload(true);
        navigate(href('admin', 'people', saved.person.id));
        return;
      }
      setVersion(saved.person.version);
      setDraft(draftOf(saved.person));
      setDone({ text: saved.unchanged ? ta('unchanged') : ta('saved'), rerouted: saved.rerouted });
      reload();
      window.setTimeout(() => doneRef.current?.focus(), 0);
    } catch (error) {
      setPreview(null);
      fail(error);
    } finally {
      setSaving(false);
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    setIssues({});
    setFailure(null);
    setDone(null);
    setSaving(true);
    let checked: SavePersonAnswer;
    try {
      checked = await send(true);
    } catch (error) {
      setSaving(false);
      fail(error);
      return;
    }
    setSaving(false);
    if (checked.rerouted.length > 0 || checked.warnings.length > 0) setPreview(checked);
    else await commit();
  };

  const issueList = Object.entries(issues);
  const conflict = failure instanceof ApiError && failure.status === 409;
  const scopeOptions = (role: string) => {
    const scope = organisation.roles.find((r) => r.id === role)?.scope;
    return scope === 'site' ? organisation.sites : scope === 'branch' ? organisation.branches : scope === 'department' ? organisation.departments : null;
  };
  const field = (key: string) => (issues[key] ? 'field has-error' : 'field');
  const error = (key: string) =>
    issues[key] ? (
      <p id={`${key}-error`} class="field-error-text">
        {issues[key]}
      </p>
    ) : null;
  const invalid = (key: string) => (issues[key] ? ('true' as const) : undefined);
  const title = creating ? ta('personNew') : `${ta('personEdit')}: ${loc(stored!.name)}`;

  return (
    <div class="admin-page">
      <PageTitle text={title} />
      <Tabs current="people" />
      <p>
        <a href="#/admin">{ta('back')}</a>
      </p>
      <div ref={doneRef} tabIndex={-1} aria-live="polite">
        {done ? (
          <Notice kind="success">
            <p class="alert-title">{done.text}</p>
            {done.rerouted.length > 0 ? (
              <>
                <p>{ta('reroutedDone', { n: done.rerouted.length })}</p>
                <ReassignmentList items={done.rerouted} />
              </>
            ) : null}
          </Notice>
        ) : null}
      </div>
      <form class="panel admin-form" noValidate onSubmit={submit}>
        <div ref={summaryRef} tabIndex={-1} class="error-summary-wrap" aria-live="assertive">
          {issueList.length > 0 ? (
            <div class="alert alert-error error-summary" role="alert">
              <h2>{ta('errorSummary', { n: issueList.length })}</h2>
              <ul>
                {issueList.map(([key, message]) => (
                  <li key={key}>
                    <button type="button" class="link-button" onClick={() => document.getElementById(`person-${key}`)?.focus()}>
                      {message}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <div class="editor-grid">
          <div class={field('id')}>
            <label class="field-label" for="person-id">
              {ta('field.id')}
            </label>
            <p class="help" id="person-id-help">
              {ta('field.idHelp')}
            </p>
            {error('id')}
            <input id="person-id" type="text" value={draft.id} readOnly={!creating} aria-invalid={invalid('id')} aria-describedby="person-id-help" onInput={(e) => set({ id: e.currentTarget.value })} />
          </div>
          <div class={field('email')}>
            <label class="field-label" for="person-email">
              {ta('field.email')}
            </label>
            <p class="help" id="person-email-help">
              {ta('field.emailHelp')}
            </p>
            {error('email')}
            <input id="person-email" type="email" value={draft.email} aria-invalid={invalid('email')} aria-describedby="person-email-help" onInput={(e) => set({ email: e.currentTarget.value })} />
          </div>
          <div class={field('nameJa')}>
            <label class="field-label" for="person-nameJa">
              {ta('field.nameJa')}
            </label>
            {error('nameJa')}
            <input id="person-nameJa" type="text" lang="ja" value={draft.nameJa} aria-invalid={invalid('nameJa')} onInput={(e) => set({ nameJa: e.currentTarget.value })} />
          </div>
          <div class={field('nameEn')}>
            <label class="field-label" for="person-nameEn">
              {ta('field.nameEn')}
            </label>
            {error('nameEn')}
            <input id="person-nameEn" type="text" lang="en" value={draft.nameEn} aria-invalid={invalid('nameEn')} onInput={(e) => set({ nameEn: e.currentTarget.value })} />
          </div>
          <div class={field('siteId')}>
            <label class="field-label" for="person-siteId">
              {ta('field.site')}
            </label>
            <p class="help" id="person-site-help">
              {ta('field.siteHelp')}
            </p>
            {error('siteId')}
            <select id="person-siteId" value={draft.siteId} aria-invalid={invalid('siteId')} aria-describedby="person-site-help" onChange={(e) => set({ siteId: e.currentTarget.value })}>
              <option value="">{ta('choose')}</option>
              {organisation.sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {`${loc(s.name)}（${loc(organisation.branches.find((b) => b.id === s.branchId)?.name) || s.branchId}）`}
                </option>
              ))}
            </select>
          </div>
          <div class={field('departmentId')}>
            <label class="field-label" for="person-departmentId">
              {ta('field.department')}
            </label>
            {error('departmentId')}
            <select id="person-departmentId" value={draft.departmentId} aria-invalid={invalid('departmentId')} onChange={(e) => set({ departmentId: e.currentTarget.value })}>
              <option value="">{ta('choose')}</option>
              {organisation.departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {loc(d.name)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset class={issues.roles ? 'admin-roles has-error' : 'admin-roles'}>
          <legend>{ta('field.roles')}</legend>
          <p class="help">{ta('field.rolesHelp')}</p>
          {error('roles')}
          {draft.roles.length === 0 ? <p class="muted">{ta('noRoles')}</p> : null}
          <ul>
            {draft.roles.map((assignment, index) => {
              const options = scopeOptions(assignment.role);
              const key = `role-${index}`;
              const roleName = loc(organisation.roles.find((r) => r.id === assignment.role)?.label) || ta('field.role');
              return (
                <li key={index} class={issues[key] ? 'admin-role has-error' : 'admin-role'}>
                  <div class="field">
                    <label class="field-label" for={`person-${key}`}>
                      {ta('field.role')}
                    </label>
                    <select id={`person-${key}`} value={assignment.role} aria-invalid={invalid(key)} onChange={(e) => setRole(index, { role: e.currentTarget.value })}>
                      <option value="">{ta('choose')}</option>
                      {organisation.roles
                        .filter((r) => r.id !== 'employee')
                        .map((r) => (
                          <option key={r.id} value={r.id}>
                            {loc(r.label)}
                          </option>
                        ))}
                    </select>
                  </div>
                  <div class="field">
                    <label class="field-label" for={`person-${key}-scope`}>
                      {ta('field.scope')}
                    </label>
                    {options ? (
                      <select id={`person-${key}-scope`} value={assignment.scopeId} aria-invalid={invalid(key)} onChange={(e) => setRole(index, { scopeId: e.currentTarget.value })}>
                        <option value="">{ta('choose')}</option>
                        {options.map((p) => (
                          <option key={p.id} value={p.id}>
                            {loc(p.name)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <p class="readonly-value" id={`person-${key}-scope`}>
                        {ta('company')}
                      </p>
                    )}
                  </div>
                  <button type="button" class="btn btn-small btn-quiet" aria-label={ta('removeRoleLabel', { role: roleName })} onClick={() => set({ roles: draft.roles.filter((_, i) => i !== index) })}>
                    {ta('removeRole')}
                  </button>
                  {error(key)}
                </li>
              );
            })}
          </ul>
          <button type="button" class="btn btn-small" onClick={() => set({ roles: [...draft.roles, { role: '', scopeId: '' }] })}>
            {ta('addRole')}
          </button>
        </fieldset>
        <div class={field('reason')}>
          <label class="field-label" for="person-reason">
            {ta('field.reason')}
          </label>
          <p class="help" id="person-reason-help">
            {ta('field.reasonHelp')}
          </p>
          <textarea id="person-reason" rows={2} maxLength={500} value={draft.reason} aria-describedby="person-reason-help" onInput={(e) => set({ reason: e.currentTarget.value })} />
        </div>
        {failure ? (
          <ErrorBox onRetry={conflict ? () => reload(true) : undefined}>{conflict ? ta('conflict') : errorText(failure)}</ErrorBox>
        ) : null}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={saving} aria-busy={saving ? 'true' : undefined}>
            {creating ? ta('register') : ta('save')}
          </button>
        </div>
      </form>
      {creating ? null : <PersonHistory events={history} />}
      <ConfirmDialog
        open={preview !== null}
        title={preview && preview.rerouted.length > 0 ? ta('impactTitle') : ta('warningTitle')}
        confirmLabel={preview && preview.rerouted.length > 0 ? ta('impactConfirm') : ta('confirmSave')}
        tone="warning"
        busy={saving}
        onConfirm={commit}
        onCancel={() => setPreview(null)}
      >
        {preview && preview.rerouted.length > 0 ? (
          <>
            <p>{ta('impactLead')}</p>
            <ReassignmentList items={preview.rerouted} />
          </>
        ) : null}
        {preview?.warnings.map((warning: Bilingual, index: number) => (
          <p key={index} class="admin-warning">
            {loc(warning)}
          </p>
        ))}
      </ConfirmDialog>
    </div>
  );
}

function PersonHistory({ events }: { events: HistoryEvent[] | null }) {
  return (
    <section class="panel admin-history" aria-labelledby="person-history">
      <h2 id="person-history">{ta('history')}</h2>
      {events === null ? (
        <Loading />
      ) : events.length === 0 ? (
        <p class="muted">{ta('historyEmpty')}</p>
      ) : (
        <ol>
          {[...events].reverse().map((event) => (
            <li key={event.seq}>
              <time dateTime={event.at}>{formatDateTime(event.at)}</time> {loc(event.summary)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
