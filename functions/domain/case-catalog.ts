import { caseDefinitions } from './cases';
import { incidentKinds, incidentPhases, mayHandle, phaseArticles, phaseLabels, statusLabels } from './incidents';
import { mayListAllCheckouts, mayRecordReturn, mediaKinds, MAX_CHECKOUT_DAYS } from './media-checkouts';
import type { Person } from './organisation';
import type { Deps } from './ports';

/**
 * What the case pages need before anything is filed: each case with its articles and phases, the
 * sites and departments to choose from, and what the caller may do.
 */
export async function caseCatalog(deps: Pick<Deps, 'cases'>, actor: Person) {
  const [sites, departments] = await Promise.all([deps.cases.places('site'), deps.cases.places('department')]);
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    cases: [
      {
        ...caseDefinitions.incident,
        kinds: incidentKinds,
        phases: incidentPhases.map((phase) => ({ phase, label: phaseLabels[phase], status: statusLabels[phase], articles: phaseArticles[phase] })),
      },
      { ...caseDefinitions['media-checkout'], kinds: mediaKinds, maxDays: MAX_CHECKOUT_DAYS },
    ],
    sites: [...sites].sort(byId),
    departments: [...departments].sort(byId),
    may: {
      handleIncidents: mayHandle(actor),
      listAllIncidents: mayHandle(actor),
      listAllCheckouts: mayListAllCheckouts(actor),
      recordReturns: mayRecordReturn(actor),
    },
  };
}
