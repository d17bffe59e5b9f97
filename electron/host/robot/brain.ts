import type { DeviceHealth } from '../../../devices/device.js';
import { answerFor, type AnswerOptions, type RobotAnswer } from './answers.js';
import type { RobotContent } from './catalog.js';
import { IntentClassifier, type ClassifierOptions } from './classifier.js';
import { applyRules, fragmentIndex, siblingIntents, type DecisionRules, type RobotDecision } from './scope.js';

/**
 * 浏浏's brain as the host uses it: one question in, the decision and the
 * composed answer out. The classifier's result passes the content's rules
 * (scope.ts): out-of-scope key objects decline with a referral, close
 * siblings get a clarifying question. Load once at start; `health()` is the
 * 'robot' device status ('degraded' with a reason when only the lexical matcher runs).
 */
export class RobotBrain {
  private constructor(
    private readonly classifier: IntentClassifier,
    private readonly content: RobotContent,
    private readonly rules: DecisionRules,
  ) {}

  static async load(options: ClassifierOptions): Promise<RobotBrain> {
    return RobotBrain.fromClassifier(await IntentClassifier.load(options), options.content);
  }

  /** A brain around a classifier already loaded (the trainer and cross-validation evaluate before saving). */
  static fromClassifier(classifier: IntentClassifier, content: RobotContent, options: { keyObjectCheck?: boolean; clarifyRatio?: number; fragmentRule?: boolean } = {}): RobotBrain {
    const rules: DecisionRules = {
      scope: content.intents.scope,
      allowedTerms: options.keyObjectCheck === false ? undefined : classifier.intentScopeTerms(),
      siblings: siblingIntents(content),
      ...(options.fragmentRule === false ? {} : { fragments: fragmentIndex(content, classifier.ambiguousFragments()) }),
      ...(options.clarifyRatio === undefined ? {} : { clarifyRatio: options.clarifyRatio }),
    };
    return new RobotBrain(classifier, content, rules);
  }

  get loadMs(): number {
    return this.classifier.loadMs;
  }

  health(): DeviceHealth {
    return this.classifier.health();
  }

  /** The decision alone (evaluation). Never throws. */
  decide(question: unknown): RobotDecision {
    return applyRules(typeof question === 'string' ? question : '', this.classifier.classify(question), this.rules);
  }

  /** Never throws: any input gives an answer (decline with a referral, a clarifying question, suggestions, or the intent's answer). */
  ask(question: unknown, options: AnswerOptions = {}): { result: RobotDecision; answer: RobotAnswer } {
    const result = this.decide(question);
    return { result, answer: answerFor(this.content, result, options) };
  }

  dispose(): void {
    this.classifier.dispose();
  }
}
