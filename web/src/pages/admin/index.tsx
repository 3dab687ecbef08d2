/**
 * 組織管理 (情報システム部インフラ担当): `#/admin` people and roles, `#/admin/people/new`,
 * `#/admin/people/<id>`, `#/admin/places`, `#/admin/import`. Loaded as its own chunk.
 */
import { useLang } from '../../i18n';
import type { Person } from '../../types';
import { ErrorBox, Loading, PageTitle } from '../../components/ui';
import { ta } from './messages';
import { isAdministrator } from './lazy';
import { useOrganisation } from './shared';
import { PeoplePage } from './PeoplePage';
import { PersonPage } from './PersonPage';
import { PlacesPage } from './PlacesPage';
import { ImportPage } from './ImportPage';
import './admin.css';

export function AdminRoutes({ path, me }: { path: string[]; me: Person }) {
  useLang();
  if (!isAdministrator(me)) {
    return (
      <div>
        <PageTitle text={ta('title')} />
        <ErrorBox>{ta('notAllowed')}</ErrorBox>
      </div>
    );
  }
  return <AdminPages path={path} />;
}

function AdminPages({ path }: { path: string[] }) {
  const organisation = useOrganisation();
  if (organisation.error) return <ErrorBox onRetry={() => organisation.reload(true)}>{organisation.error}</ErrorBox>;
  if (!organisation.data) return <Loading />;
  const [head, arg, extra] = path;
  const data = organisation.data;
  if (head === 'people' && arg && extra === undefined) {
    return <PersonPage key={arg} id={arg === 'new' ? null : arg} organisation={data} reload={organisation.reload} />;
  }
  if (head === 'places' && arg === undefined) return <PlacesPage organisation={data} reload={organisation.reload} />;
  if (head === 'import' && arg === undefined) return <ImportPage organisation={data} reload={organisation.reload} />;
  return <PeoplePage organisation={data} />;
}
