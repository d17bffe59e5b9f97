import type { DeviceHealth } from '../../../devices/device.js';
import { answerFor, type AnswerOptions, type RobotAnswer } from './answers.js';
import type { RobotContent } from './catalog.js';
import { IntentClassifier, type ClassifierOptions, type IntentResult } from './classifier.js';

/**
 * 浏浏's brain as the host uses it: one question in, the classification and
 * the composed answer out. Load once at start; `health()` is the 'robot'
 * device status ('degraded' with a reason when only the lexical matcher runs).
 */
export class RobotBrain {
  private constructor(
    private readonly classifier: IntentClassifier,
    private readonly content: RobotContent,
  ) {}

  static async load(options: ClassifierOptions): Promise<RobotBrain> {
    return new RobotBrain(await IntentClassifier.load(options), options.content);
  }

  get loadMs(): number {
    return this.classifier.loadMs;
  }

  health(): DeviceHealth {
    return this.classifier.health();
  }

  /** Never throws: any input gives an answer (decline, suggestions, or the intent's answer). */
  ask(question: unknown, options: AnswerOptions = {}): { result: IntentResult; answer: RobotAnswer } {
    const result = this.classifier.classify(question);
    return { result, answer: answerFor(this.content, result, options) };
  }

  dispose(): void {
    this.classifier.dispose();
  }
}
