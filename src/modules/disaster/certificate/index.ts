// 罹災証明書 (issue 14 point 8), one part of the disaster module: the resident's application and status
// (マイページ), the municipality's handling and the prefecture's counts (staff), the public check of a
// code, and the PDF. Mounted in disaster/index.ts, one line each.
import { Hono, type Context } from 'hono';
import type { Db } from '../../../platform/db.ts';
import type { GateActor, ResidentsModule } from '../../residents/index.ts';
import type { StaffEnv } from '../../workspace/index.ts';
import type { MapDataSource } from '../shelters.ts';
import { openApplication } from './certificates.ts';
import { certificateSections, myCertificateRoutes } from './my.tsx';
import { certificatePdf } from './pdf.ts';
import { deleteCertificatesOf, type CertificateRow } from './repository.ts';
import { staffCertificateRoutes } from './staff.tsx';
import { certificateSummaryRoutes } from './summary.tsx';
import { verifyPath, verifyRoutes } from './verify.tsx';

export interface CertificateDeps {
  db: Db;
  map: MapDataSource['get'];
  /** The gate (pre-filling from the profile) and the held fields (sealing and logged opening). */
  residents: Pick<ResidentsModule, 'queries' | 'fields'>;
  /** The PDF of an issued certificate, its sealed fields opened for `reader` (logged). */
  pdfResponse(c: Context, reader: GateActor, row: CertificateRow): Promise<Response>;
}

export function certificates(o: Omit<CertificateDeps, 'pdfResponse'> & { baseUrl: string }) {
  const deps: CertificateDeps = {
    ...o,
    async pdfResponse(c, reader, row) {
      const opened = await openApplication(o.db, o.residents.fields, reader, row);
      const m = (await o.map()).municipalities.get(row.municipality);
      const pdf = await certificatePdf({
        code: row.code!,
        verifyUrl: `${new URL(verifyPath, o.baseUrl).href}?code=${row.code}`,
        municipalityName: m?.name ?? row.municipality,
        name: opened.name,
        address: opened.address,
        damageType: row.damageType,
        damagedOn: row.damagedOn,
        grade: row.grade!,
        issuedAt: row.issuedAt!,
      });
      c.header('Cache-Control', 'private, no-store');
      c.header('Content-Disposition', `attachment; filename="risai-shomeisho-${row.code}.pdf"`);
      return c.body(new Uint8Array(pdf), 200, { 'Content-Type': 'application/pdf' });
    },
  };
  const staff = new Hono<StaffEnv>();
  staff.route('/', certificateSummaryRoutes(o.db, o.map));
  staff.route('/', staffCertificateRoutes(deps));
  return {
    my: myCertificateRoutes(deps),
    staff,
    pub: verifyRoutes(o.db, o.map),
    sections: certificateSections,
    deletedWithAccount: deleteCertificatesOf,
  };
}
