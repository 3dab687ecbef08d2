/**
 * The case pages (C1 障害報告, C2 ノートPC・可搬媒体持ち出し), loaded on first use as their own chunk
 * (lazy.tsx imports this module dynamically). Paths under `#/cases`:
 *   (none)                    incidents list
 *   incidents/new             report an incident
 *   incidents/<id>            the incident, its phases and the next step
 *   incidents/<id>/report     the printable timeline report (S10-6)
 *   media                     checkouts list
 *   media/new                 record a checkout
 *   media/<id>                the checkout and its return
 */
import './cases.css';
import type { Person } from '../../types';
import { PageTitle } from '../../components/ui';
import { t } from '../../i18n';
import { CheckoutFormPage } from './CheckoutForm';
import { CheckoutListPage } from './CheckoutList';
import { CheckoutPage } from './CheckoutPage';
import { IncidentFormPage } from './IncidentForm';
import { IncidentListPage } from './IncidentList';
import { IncidentPage } from './IncidentPage';
import { IncidentReportPage } from './IncidentReport';

export function CaseRoutes({ path, me }: { path: string[]; me: Person }) {
  const [area, id, extra, more] = path;
  if (more === undefined) {
    if (area === undefined || (area === 'incidents' && id === undefined)) return <IncidentListPage />;
    if (area === 'incidents' && id === 'new' && extra === undefined) return <IncidentFormPage me={me} />;
    if (area === 'incidents' && id && extra === undefined) return <IncidentPage key={id} id={id} />;
    if (area === 'incidents' && id && extra === 'report') return <IncidentReportPage key={id} id={id} />;
    if (area === 'media' && id === undefined) return <CheckoutListPage />;
    if (area === 'media' && id === 'new' && extra === undefined) return <CheckoutFormPage me={me} />;
    if (area === 'media' && id && extra === undefined) return <CheckoutPage key={id} id={id} />;
  }
  return (
    <div>
      <PageTitle text={t('app.notFound')} />
      <p>{t('app.notFoundText')}</p>
      <p>
        <a href="#/cases">{t('app.toHome')}</a>
      </p>
    </div>
  );
}
