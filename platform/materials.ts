import { z } from 'zod';
import { MATERIAL_VALID_DAYS, citizenLookupKey, type ReusableMaterial } from '../platform-contract/contract.js';
import type { PlatformStore } from './store.js';

/**
 * 一号 on the reference platform: which materials a citizen submitted before
 * (found by the keyed hash of her ID number), and whether a case may reuse
 * one — only a material of a case with the same applicant, still valid.
 */
const CaseMaterials = z.looseObject({
  caseId: z.string(),
  number: z.string(),
  submittedAt: z.string(),
  applicant: z.looseObject({ idNumber: z.string() }),
  materials: z.array(z.looseObject({ index: z.number(), name: z.string(), pages: z.array(z.unknown()), reusedMaterialId: z.string().optional() })),
});
type CaseMaterials = z.infer<typeof CaseMaterials>;

const DAY_MS = 86_400_000;

export class MaterialIndex {
  constructor(
    private readonly store: PlatformStore,
    private readonly secret: string,
  ) {}

  /** Materials with scanned pages from this citizen's cases that are not returned and younger than MATERIAL_VALID_DAYS. */
  async reusable(citizenKey: string, now: Date): Promise<ReusableMaterial[]> {
    const out: ReusableMaterial[] = [];
    for (const c of await this.cases()) {
      if (citizenLookupKey(this.secret, c.applicant.idNumber) !== citizenKey) continue;
      if (!(await this.usable(c, now))) continue;
      const validUntil = new Date(new Date(c.submittedAt).getTime() + MATERIAL_VALID_DAYS * DAY_MS).toISOString();
      for (const material of c.materials) {
        if (material.pages.length === 0) continue;
        out.push({ materialId: `${c.caseId}:${material.index}`, name: material.name, submittedAt: c.submittedAt, validUntil, pages: material.pages.length });
      }
    }
    return out.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
  }

  /** Why a case record's reuse is refused, or null (also null for records that reuse nothing). */
  async reuseRefusal(payload: unknown, now: Date): Promise<string | null> {
    const parsed = CaseMaterials.safeParse(payload);
    if (!parsed.success) return null;
    const reused = parsed.data.materials.flatMap((m) => (m.reusedMaterialId === undefined ? [] : [m.reusedMaterialId]));
    if (reused.length === 0) return null;
    const cases = await this.cases();
    for (const materialId of reused) {
      const [caseId, index] = [materialId.slice(0, materialId.lastIndexOf(':')), Number(materialId.slice(materialId.lastIndexOf(':') + 1))];
      const source = cases.find((c) => c.caseId === caseId);
      const material = source?.materials.find((m) => m.index === index && m.pages.length > 0);
      if (!source || !material) return `reused material ${materialId} does not exist`;
      if (source.applicant.idNumber.trim().toUpperCase() !== parsed.data.applicant.idNumber.trim().toUpperCase()) return `reused material ${materialId} belongs to another person`;
      if (!(await this.usable(source, now))) return `reused material ${materialId} is no longer valid`;
    }
    return null;
  }

  private async usable(c: CaseMaterials, now: Date): Promise<boolean> {
    if (now.getTime() - new Date(c.submittedAt).getTime() > MATERIAL_VALID_DAYS * DAY_MS) return false;
    const last = (await this.store.caseStatusHistory([c.caseId, c.number])).at(-1);
    return last?.status !== 'returned';
  }

  private async cases(): Promise<CaseMaterials[]> {
    return (await this.store.recordsOfKind('case')).flatMap((record) => {
      const parsed = CaseMaterials.safeParse(record.payload);
      return parsed.success ? [parsed.data] : [];
    });
  }
}
