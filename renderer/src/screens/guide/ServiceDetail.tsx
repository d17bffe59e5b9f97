import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { GuidePrintForm, GuidePrintOutcome, GuideSection, ServiceGuide } from '../../../../electron/contract/index.js';
import { useApi, useCall } from '../../app/api.js';
import { useNavigation } from '../../app/navigation.js';
import { useSay } from '../../i18n/say.js';

/** One service's guide: where and how long first, then the six core elements, then take a number / apply / print. */
type PrintState = { state: 'idle' } | { state: 'printing'; form: GuidePrintForm } | { state: 'done'; outcome: GuidePrintOutcome } | { state: 'error'; message: string };

function PrintStatus({ print }: { print: PrintState }) {
  const { t } = useTranslation('guide');
  const say = useSay();
  if (print.state === 'idle') return null;
  if (print.state === 'printing')
    return (
      <p className="guide-print-status is-busy" role="status" data-testid="print-status">
        <span className="spinner small" aria-hidden /> {t('actions.printing')}
      </p>
    );
  if (print.state === 'error')
    return (
      <p className="guide-print-status is-problem" role="alert" data-testid="print-status">
        {t('actions.failed', { message: print.message })}
      </p>
    );
  const { outcome } = print;
  const text =
    outcome.kind === 'printed'
      ? outcome.form === 'receipt'
        ? t('actions.printed')
        : t('actions.printedA4', { printer: outcome.printer })
      : outcome.kind === 'saved'
        ? t('actions.saved', { place: outcome.pickup })
        : t('actions.failed', { message: say(outcome.say) });
  return (
    <p className={`guide-print-status ${outcome.kind === 'printed' ? 'is-done' : 'is-problem'}`} role="status" data-testid="print-status" data-outcome={outcome.kind}>
      {text}
      {outcome.kind === 'printed' && outcome.warning !== undefined && <span className="guide-print-warning"> · {say(outcome.warning)}</span>}
    </p>
  );
}

/** Beside a section some text of which has no English in the content and is shown in Chinese (the host lists those sections). */
function ChineseOnly({ guide, section }: { guide: ServiceGuide; section: GuideSection }) {
  const { t } = useTranslation('guide');
  if (!guide.chineseOnly.includes(section)) return null;
  return (
    <p className="guide-note" data-testid="guide-chinese-note">
      {t('detail.chineseOnly')}
    </p>
  );
}

function Section({ title, children, testId, guide, section }: { title: string; children: ReactNode; testId: string; guide: ServiceGuide; section?: GuideSection }) {
  return (
    <section className="guide-section" data-testid={testId}>
      <h3>{title}</h3>
      {section !== undefined && <ChineseOnly guide={guide} section={section} />}
      {children}
    </section>
  );
}

function GuideBody({ guide, onOpen }: { guide: ServiceGuide; onOpen: (serviceId: string) => void }) {
  const { t } = useTranslation('guide');
  const { timeLimit } = guide;
  return (
    <>
      <div className="guide-facts">
        <div className="guide-fact" data-testid="guide-where">
          <span className="guide-fact-label">{t('detail.where')}</span>
          <strong>{guide.location}</strong>
          <span>{guide.departmentFullName}</span>
        </div>
        <div className="guide-fact" data-testid="guide-time">
          <span className="guide-fact-label">{t('detail.timeLimit')}</span>
          <strong>{t('detail.promised', { text: timeLimit.promisedDays === 0 ? t('detail.promisedDays_zero') : t('detail.promisedDays', { count: timeLimit.promisedDays }) })}</strong>
          <span>{timeLimit.statutoryDays === null ? t('detail.noStatutory') : t('detail.statutory', { days: timeLimit.statutoryDays })}</span>
          {timeLimit.note !== undefined && <span className="guide-note">{timeLimit.note}</span>}
          <ChineseOnly guide={guide} section="timeLimit" />
        </div>
        <div className="guide-fact" data-testid="guide-online">
          <span className="guide-fact-label">{t('detail.online')}</span>
          <strong>{guide.service.online}</strong>
          {guide.service.selfService && <span className="guide-badge">{t('selfService')}</span>}
        </div>
      </div>
      {guide.windowNotes.length > 0 && (
        <p className="guide-window-notes">
          {t('common:labelled', { label: t('detail.windowNotes'), value: guide.windowNotes.map((n) => `${n.window} ${n.note}`).join(t('common:clauseSeparator')) })}
        </p>
      )}
      <ChineseOnly guide={guide} section="windowNotes" />
      <Section title={t('detail.basis')} testId="guide-basis" guide={guide} section="basis">
        <p>{guide.basis}</p>
      </Section>
      <Section title={t('detail.conditions')} testId="guide-conditions" guide={guide} section="conditions">
        <ul>
          {guide.conditions.map((condition) => (
            <li key={condition}>{condition}</li>
          ))}
        </ul>
      </Section>
      <Section title={t('detail.materials')} testId="guide-materials" guide={guide} section="materials">
        <table className="guide-materials">
          <thead>
            <tr>
              <th>{t('detail.material.name')}</th>
              <th>{t('detail.material.copies')}</th>
              <th>{t('detail.material.form')}</th>
              <th>{t('detail.material.required')}</th>
              <th>{t('detail.material.note')}</th>
            </tr>
          </thead>
          <tbody>
            {guide.materials.map((material) => (
              <tr key={material.name}>
                <td>{material.name}</td>
                <td>{material.copies}</td>
                <td>{material.original ? t('detail.material.original') : t('detail.material.copy')}</td>
                <td className={material.required ? 'is-required' : undefined}>{material.required ? t('detail.material.yes') : t('detail.material.conditional')}</td>
                <td>{material.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title={t('detail.steps')} testId="guide-steps" guide={guide} section="steps">
        <ol className="guide-steps">
          {guide.steps.map((step) => (
            <li key={step.stage}>
              <span className="guide-stage">{step.stage}</span>
              <span>{step.description}</span>
            </li>
          ))}
        </ol>
      </Section>
      <Section title={t('detail.agency')} testId="guide-agency" guide={guide} section="agency">
        <p>{guide.agency}</p>
      </Section>
      <Section title={t('detail.fee')} testId="guide-fee" guide={guide} section="fee">
        <p>{guide.fee}</p>
      </Section>
      {guide.related.length > 0 && (
        <Section title={t('detail.related')} testId="guide-related" guide={guide}>
          <div className="guide-chips">
            {guide.related.map((related) => (
              <button type="button" key={related.id} className="touch chip" onClick={() => onOpen(related.id)}>
                {related.name}
              </button>
            ))}
          </div>
        </Section>
      )}
    </>
  );
}

export function ServiceDetail({ serviceId, onBack, onOpen }: { serviceId: string; onBack: () => void; onOpen: (serviceId: string) => void }) {
  const { t, i18n } = useTranslation('guide');
  const say = useSay();
  const api = useApi();
  const { navigate } = useNavigation();
  // Asked again when the language switches: the host gives names and places in the citizen's language.
  const detail = useCall('guide.detail', { serviceId }, [serviceId, i18n.language]);
  const [print, setPrint] = useState<PrintState>({ state: 'idle' });

  const printGuide = async (form: GuidePrintForm): Promise<void> => {
    setPrint({ state: 'printing', form });
    const result = await api.call('guide.print', { serviceId, form });
    setPrint(result.ok ? { state: 'done', outcome: result.value } : { state: 'error', message: say(result.error) });
  };

  if (detail === undefined) return <p className="guide-empty">{t('loading')}</p>;
  if (!detail.ok)
    return (
      <div className="guide-detail">
        <p className="guide-empty" role="alert">
          {t('loadFailed', { message: say(detail.error) })}
        </p>
        <button type="button" className="touch" onClick={onBack}>
          {t('backToList')}
        </button>
      </div>
    );
  const guide = detail.value;
  return (
    <article className="guide-detail" data-testid="guide-detail">
      <div className="guide-detail-head">
        <button type="button" className="touch" onClick={onBack} data-testid="guide-back">
          <span aria-hidden>← </span>
          {t('backToList')}
        </button>
        <h2 data-testid="guide-service-name">{guide.service.name}</h2>
      </div>
      <div className="guide-actions">
        <button type="button" className="touch primary" onClick={() => navigate('ticket', serviceId)} data-testid="guide-ticket">
          {t('actions.ticket')}
        </button>
        {guide.service.selfService && (
          <button type="button" className="touch primary" onClick={() => navigate('apply', serviceId)} data-testid="guide-apply">
            {t('actions.apply')}
          </button>
        )}
        <button type="button" className="touch" disabled={print.state === 'printing'} onClick={() => void printGuide('receipt')} data-testid="guide-print-receipt">
          {t('actions.printReceipt')}
        </button>
        <button type="button" className="touch" disabled={print.state === 'printing'} onClick={() => void printGuide('a4')} data-testid="guide-print-a4">
          {t('actions.printA4')}
        </button>
      </div>
      <PrintStatus print={print} />
      <GuideBody guide={guide} onOpen={onOpen} />
    </article>
  );
}
