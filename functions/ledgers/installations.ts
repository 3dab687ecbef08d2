import * as z from 'zod';
import { col, defineLedger, id, isoDateTime, optionalText, placeColumns } from './common';

const installed = { installed: { ja: 'インストール済', en: 'Installed' }, removed: { ja: 'アンインストール済', en: 'Removed' } };

export const ServerProduct = z.object({
  id,
  serverId: id,
  productId: id,
  version: z.string().trim().min(1).max(50),
  status: z.enum(['installed', 'removed']),
  installedAt: isoDateTime,
  removedAt: isoDateTime.optional(),
  siteId: id,
  branchId: id,
  requestId: optionalText(64),
});
export type ServerProduct = z.infer<typeof ServerProduct>;

/** サーバプロダクト台帳 (S23-3, S28): what is installed on each server, with its version. */
export const serverProducts = defineLedger<ServerProduct>({
  name: 'server-products',
  title: { ja: 'サーバプロダクト台帳', en: 'Server product installations' },
  description: { ja: '各サーバにインストールされたプロダクトとバージョン（第23条第3項・第28条）。', en: 'Products installed on each server, with versions (Art. 23-3, 28).' },
  articles: ['S23-3', 'S28-3', 'S28-4'],
  item: ServerProduct,
  columns: [
    col('id', '登録番号', 'Installation'),
    col('serverId', 'サーバ', 'Server'),
    col('productId', 'プロダクト', 'Product'),
    col('version', 'バージョン', 'Version'),
    col('status', '状態', 'Status', 'enum', installed),
    col('installedAt', 'インストール日時', 'Installed', 'datetime'),
    col('removedAt', '削除日時', 'Removed', 'datetime'),
    ...placeColumns,
    col('requestId', '申請番号', 'Request'),
  ],
  stateKey: (item) => ({ partition: `server#${item.serverId}`, sort: `${item.productId}#${item.id}` }),
});

export const ClientProduct = z.object({
  id,
  clientId: id,
  productId: id,
  version: z.string().trim().min(1).max(50),
  licenceId: optionalText(128),
  userId: optionalText(128),
  status: z.enum(['installed', 'removed']),
  installedAt: isoDateTime,
  removedAt: isoDateTime.optional(),
  siteId: id,
  branchId: id,
  requestId: optionalText(64),
});
export type ClientProduct = z.infer<typeof ClientProduct>;

/** クライアントプロダクト台帳 (S32, S37): what is installed on each client, with its version and licence. */
export const clientProducts = defineLedger<ClientProduct>({
  name: 'client-products',
  title: { ja: 'クライアントプロダクト台帳', en: 'Client product installations' },
  description: { ja: '各クライアントにインストールされたプロダクト・バージョン・ライセンス（第32条・第37条）。', en: 'Products installed on each client, with versions and licences (Art. 32, 37).' },
  articles: ['S32-2', 'S32-3', 'S37-3', 'S37-4'],
  item: ClientProduct,
  columns: [
    col('id', '登録番号', 'Installation'),
    col('clientId', 'クライアント', 'Client'),
    col('productId', 'プロダクト', 'Product'),
    col('version', 'バージョン', 'Version'),
    col('licenceId', 'ライセンス', 'Licence'),
    col('userId', '利用者', 'User'),
    col('status', '状態', 'Status', 'enum', installed),
    col('installedAt', 'インストール日時', 'Installed', 'datetime'),
    col('removedAt', '削除日時', 'Removed', 'datetime'),
    ...placeColumns,
    col('requestId', '申請番号', 'Request'),
  ],
  stateKey: (item) => ({ partition: `client#${item.clientId}`, sort: `${item.productId}#${item.id}` }),
});
