import * as z from 'zod';
import { bilingual, col, defineLedger, id, optionalText } from './common';

export const productCategories = {
  os: { ja: 'OS', en: 'Operating system' },
  communication: { ja: '通信ソフト', en: 'Communication software' },
  database: { ja: 'DBソフト', en: 'Database software' },
  package: { ja: 'パッケージソフト', en: 'Package software' },
  tool: { ja: 'ツール', en: 'Tool' },
  monitoring: { ja: 'サーバ監視ツール', en: 'Server monitoring' },
  custom: { ja: '追加開発プログラム', en: 'Custom program' },
};

export const productStatuses = {
  planned: { ja: '導入予定', en: 'Planned' },
  managed: { ja: '管理対象', en: 'Managed' },
  retired: { ja: '廃止', en: 'Retired' },
};

export const Product = z.object({
  id,
  name: bilingual,
  vendor: z.string().trim().min(1).max(200),
  category: z.enum(Object.keys(productCategories) as [keyof typeof productCategories]),
  target: z.enum(['server', 'client']),
  latestVersion: optionalText(50),
  licenceId: optionalText(128),
  status: z.enum(['planned', 'managed', 'retired']),
  maintenanceContract: optionalText(500),
  requestId: optionalText(64),
});
export type Product = z.infer<typeof Product>;

/**
 * プロダクト台帳: the products 情報システム部インフラ担当 manages. A product not in it (or retired)
 * cannot be requested or installed (S29-3, S38-3).
 */
export const products = defineLedger<Product>({
  name: 'products',
  title: { ja: 'プロダクト台帳', en: 'Product ledger' },
  description: { ja: '情報システム部インフラ担当が管理するプロダクト（第24条・第33条）。ここにないプロダクトはインストールできません（第29条第3項・第38条第3項）。', en: 'Products managed by IT infrastructure (Art. 24, 33); nothing else may be installed (Art. 29-3, 38-3).' },
  articles: ['S24', 'S29-3', 'S33', 'S38-3'],
  item: Product,
  columns: [
    col('id', 'プロダクトID', 'Product ID'),
    col('name.ja', '名称', 'Name (ja)'),
    col('name.en', '名称（英語）', 'Name (en)'),
    col('vendor', '提供業者', 'Vendor'),
    col('category', '区分', 'Category', 'enum', productCategories),
    col('target', '対象', 'Target', 'enum', { server: { ja: 'サーバ', en: 'Server' }, client: { ja: 'クライアント', en: 'Client' } }),
    col('latestVersion', '最新バージョン', 'Latest version'),
    col('licenceId', 'ライセンス', 'Licence'),
    col('status', '状態', 'Status', 'enum', productStatuses),
    col('maintenanceContract', '保守契約', 'Maintenance contract'),
    col('requestId', '申請番号', 'Request'),
  ],
});
