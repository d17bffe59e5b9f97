import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RobotAnswerView } from '../../../../electron/contract/index.js';
import { useApi, useCall, useHostInfo } from '../../app/api.js';
import { useNavigation } from '../../app/navigation.js';
import { PinyinInput } from '../../components/pinyin-input/PinyinInput.js';
import { AnswerCard } from './AnswerCard.js';
import { RobotAvatar, type AvatarMood } from './RobotAvatar.js';
import { useSpeech } from './useSpeech.js';
import './robot.css';

/**
 * 问浏浏: a conversation with the guide robot. The citizen types (on-screen
 * pinyin keyboard or a physical one) or taps a popular question; 浏浏 answers
 * in a bubble with an answer card (where, what to bring, fee, time limit, a
 * floor map, 取号 / 办事指南 / 呼叫工作人员) and says the short form aloud
 * when the kiosk has a Chinese voice.
 */
type NewMessage = { from: 'citizen'; text: string } | { from: 'robot'; text: string; answer?: RobotAnswerView };
type Message = NewMessage & { id: number };

/** Only a wait longer than this gets the "still looking" line (short answers should not flicker). */
const SLOW_MS = 1000;
/** What a help request tells staff: the citizen's last question, kept short. */
const REASON_CHARS = 100;

export function RobotScreen() {
  const { t, i18n } = useTranslation('robot');
  // The robot's own sentences (declines, questions) in the kiosk's language.
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const api = useApi();
  const info = useHostInfo();
  const { navigate } = useNavigation();
  const popular = useCall('robot.popular', {});
  const speech = useSpeech();
  const [messages, setMessages] = useState<Message[]>([]);
  const [text, setText] = useState('');
  const [pending, setPending] = useState(false);
  const [slow, setSlow] = useState(false);
  // The on-screen keyboard: open to type the first question, hidden while an answer is read (the toggle opens it again).
  const [keyboardOpen, setKeyboardOpen] = useState(true);
  const nextId = useRef(1);
  const lastQuestion = useRef('');
  const chatRef = useRef<HTMLElement>(null);
  const lastRef = useRef<HTMLDivElement>(null);
  const questionRef = useRef<HTMLDivElement>(null);
  const robot = info.robotName;

  const add = useCallback((message: NewMessage) => {
    setMessages((current) => [...current, { ...message, id: nextId.current++ }]);
  }, []);

  const say = useCallback(
    (line: string, spoken: string = line, answer?: RobotAnswerView) => {
      add(answer ? { from: 'robot', text: line, answer } : { from: 'robot', text: line });
      speech.speak(spoken);
    },
    [add, speech],
  );

  // The greeting, once per visit to the screen.
  const greeted = useRef(false);
  useEffect(() => {
    if (greeted.current) return;
    greeted.current = true;
    say(t('greeting', { robot }));
  }, [say, t, robot]);

  // Scrolls the chat only (not the page) so the citizen's latest question stays at the top with the answer under it (a long answer is read from its top); a greeting with no question yet is shown from its own top.
  useEffect(() => {
    const chat = chatRef.current;
    if (!chat) return;
    const anchorTop = (): number => {
      const anchor = questionRef.current ?? lastRef.current;
      return anchor ? anchor.offsetTop - 8 : chat.scrollHeight;
    };
    chat.scrollTo?.({ top: anchorTop(), behavior: 'smooth' });
    // When the chat changes size (the keyboard shown or hidden, elderly mode, a rotated screen) the same question stays at its top.
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => chat.scrollTo?.({ top: anchorTop() }));
    observer.observe(chat);
    return () => observer.disconnect();
  }, [messages, pending]);

  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => setSlow(true), SLOW_MS);
    return () => clearTimeout(timer);
  }, [pending]);

  const answerWith = async (citizenText: string, call: () => ReturnType<typeof api.call<'robot.ask'>>): Promise<void> => {
    if (pending) return;
    // The answer needs the room: on a 1280×1024 screen in elderly mode the open keyboard left it a few lines.
    setKeyboardOpen(false);
    add({ from: 'citizen', text: citizenText });
    lastQuestion.current = citizenText;
    setPending(true);
    const result = await call();
    setPending(false);
    setSlow(false);
    if (result.ok) say(result.value.text, result.value.spoken, result.value);
    else say(t('error'));
  };

  const ask = (): void => {
    const question = text.trim();
    if (question === '') return;
    setText('');
    void answerWith(question, () => api.call('robot.ask', { text: question, language }));
  };

  const suggestion = (intentId: string, label: string): void => {
    void answerWith(label, () => api.call('robot.suggestion', { intentId, language }));
  };

  const callStaff = async (): Promise<void> => {
    const reason = Array.from(lastQuestion.current).slice(0, REASON_CHARS).join('');
    const result = await api.call('robot.callStaff', reason === '' ? {} : { reason });
    say(result.ok ? t('staffComing') : t('staffFailed'));
  };

  const mood: AvatarMood = pending ? 'thinking' : 'idle';
  const lastQuestionIndex = messages.findLastIndex((message) => message.from === 'citizen');
  const chips = popular?.ok ? popular.value : [];

  const renderMessage = (message: Message, index: number) =>
    message.from === 'citizen' ? (
      <div key={message.id} ref={index === lastQuestionIndex ? questionRef : index === messages.length - 1 ? lastRef : undefined} className="bubble is-citizen" data-testid="robot-bubble-citizen">
        {message.text}
      </div>
    ) : (
      <div key={message.id} ref={index === messages.length - 1 ? lastRef : undefined} className="robot-turn">
        <RobotAvatar size={48} label={robot} />
        <div className="bubble is-robot" data-testid="robot-bubble-robot">
          {message.answer ? (
            <AnswerCard
              answer={message.answer}
              testId="robot-answer"
              onTicket={(serviceId) => navigate('ticket', serviceId)}
              onGuide={(serviceId) => navigate('guide', serviceId)}
              onCallStaff={() => void callStaff()}
              onSuggestion={suggestion}
            />
          ) : (
            message.text
          )}
        </div>
      </div>
    );

  return (
    <main className="robot" data-testid="robot-screen">
      <header className="robot-head">
        <RobotAvatar mood={mood} label={t('avatar', { robot })} />
        <div className="robot-head-text">
          <h1 className="screen-title">{t('title', { robot })}</h1>
          <p className="robot-subtitle">{t('subtitle')}</p>
        </div>
        <button
          type="button"
          className={`touch robot-mute${speech.muted ? ' primary' : ''}`}
          aria-pressed={speech.muted}
          onClick={() => speech.setMuted(!speech.muted)}
          data-testid="robot-mute"
          title={speech.available ? undefined : t('noVoice')}
        >
          {speech.muted ? t('unmute') : t('mute')}
        </button>
      </header>

      <section ref={chatRef} className="robot-chat" aria-live="polite" data-testid="robot-chat">
        {messages.slice(0, 1).map(renderMessage)}
        {/* Common questions under the greeting: they scroll with the conversation, so the keyboard keeps its room. */}
        {chips.length > 0 && (
          <div className="robot-chips robot-popular" data-testid="robot-popular">
            <span className="robot-popular-label">{t('popular')}</span>
            {chips.map((chip, index) => (
              <button type="button" key={chip.intentId} className="touch chip" disabled={pending} onClick={() => suggestion(chip.intentId, chip.label)} data-testid={`robot-popular-${index}`}>
                {chip.label}
              </button>
            ))}
          </div>
        )}
        {messages.slice(1).map((message, index) => renderMessage(message, index + 1))}
        {pending && (
          <div className="robot-turn">
            <RobotAvatar size={48} mood="thinking" label={robot} />
            <div className="bubble is-robot is-pending" data-testid="robot-pending" role="status">
              <span className="robot-dots" aria-hidden>
                <span />
                <span />
                <span />
              </span>
              {slow && <span className="robot-slow">{t('thinking', { robot })}</span>}
            </div>
          </div>
        )}
      </section>

      <PinyinInput value={text} onChange={setText} onSubmit={ask} keyboardOpen={keyboardOpen} onKeyboardOpenChange={setKeyboardOpen} placeholder={t('placeholder')} submitLabel={t('ask')} maxLength={200} testId="robot-input" label={t('placeholder')} />
    </main>
  );
}
