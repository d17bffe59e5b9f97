import { useTranslation } from 'react-i18next';
import type { RobotAnswerView } from '../../../../electron/contract/index.js';
import { FloorMap } from './FloorMap.js';

/**
 * One answer of 浏浏's: the text, and for a service the materials, fee, time
 * limit, a small floor map and what to do next (取号, 办事指南, 呼叫工作人员).
 * Unsure answers offer their suggestions as chips; a clarifying question
 * (社保卡申领 or 补换?) offers the siblings as answer buttons; the decline names
 * where to go instead and has only the call-staff button.
 */
export function AnswerCard({
  answer,
  onTicket,
  onGuide,
  onCallStaff,
  onSuggestion,
  testId,
}: {
  answer: RobotAnswerView;
  onTicket: (serviceId: string) => void;
  onGuide: (serviceId: string) => void;
  onCallStaff: () => void;
  onSuggestion: (intentId: string, label: string) => void;
  testId: string;
}) {
  const { t } = useTranslation('robot');
  const { serviceId } = answer;
  return (
    <div className={`robot-answer is-${answer.kind}`} data-testid={testId} data-kind={answer.kind}>
      <p className="robot-answer-text" data-testid="robot-answer-text">
        {answer.text}
      </p>
      {answer.destination && (
        <p className="robot-answer-where" data-testid="robot-answer-where">
          {t('answer.where', { floor: answer.destination.floor })}
          {answer.destination.windows.length > 0 && ` · ${t('answer.windows', { windows: answer.destination.windows.join(t('common:listSeparator')) })}`}
        </p>
      )}
      {(answer.materials?.length ?? 0) > 0 && (
        <section className="robot-answer-section">
          <h2>{t('answer.materials')}</h2>
          <ul data-testid="robot-answer-materials">
            {answer.materials?.map((material) => <li key={material}>{material}</li>)}
          </ul>
        </section>
      )}
      {(answer.fee !== undefined || answer.timeLimit !== undefined) && (
        <dl className="robot-answer-facts">
          {answer.fee !== undefined && (
            <div>
              <dt>{t('answer.fee')}</dt>
              <dd data-testid="robot-answer-fee">{answer.fee}</dd>
            </div>
          )}
          {answer.timeLimit !== undefined && (
            <div>
              <dt>{t('answer.timeLimit')}</dt>
              <dd data-testid="robot-answer-time-limit">{answer.timeLimit}</dd>
            </div>
          )}
        </dl>
      )}
      {answer.floorMap && <FloorMap map={answer.floorMap} title={t('answer.map', { floor: answer.floorMap.floor, name: answer.floorMap.name })} />}
      {answer.kind === 'clarify' && <p className="robot-answer-hint">{t('answer.clarifyHint')}</p>}
      {(answer.kind === 'unsure' || answer.kind === 'clarify') && (answer.suggestions?.length ?? 0) > 0 && (
        <div className="robot-chips" data-testid="robot-suggestions">
          {answer.suggestions?.slice(0, 3).map((s, index) => (
            <button type="button" key={s.intentId} className="touch chip" onClick={() => onSuggestion(s.intentId, s.label)} data-testid={`robot-suggestion-${index}`}>
              {s.label}
            </button>
          ))}
        </div>
      )}
      <div className="robot-actions">
        {serviceId !== undefined && answer.actions.includes('ticket') && (
          <button type="button" className="touch primary" onClick={() => onTicket(serviceId)} data-testid="robot-action-ticket">
            {t('actions.ticket')}
          </button>
        )}
        {serviceId !== undefined && answer.actions.includes('guide') && (
          <button type="button" className="touch" onClick={() => onGuide(serviceId)} data-testid="robot-action-guide">
            {t('actions.guide')}
          </button>
        )}
        <button type="button" className="touch" onClick={onCallStaff} data-testid="robot-action-call-staff">
          {t('actions.callStaff')}
        </button>
      </div>
    </div>
  );
}
