import type { ContentPackage, Intent, Service } from '../content/schema.js';
import { fnv1a, normalizeText } from './text.js';

/** The parts of a content package the robot reads. */
export type RobotContent = Pick<ContentPackage, 'hall' | 'services' | 'intents'>;

export const OOS = 'oos';

/**
 * One robot intent. intents.json gives examples and an answer template for
 * some; every service in services.json is an intent `svc:<serviceId>` whether
 * or not intents.json lists it.
 */
export interface IntentEntry {
  id: string;
  type: Intent['type'];
  serviceId?: string;
  facilityIds?: string[];
  /** Hand-written examples from intents.json (empty for generated service intents). */
  examples: string[];
  /** The answer template from intents.json; absent → the generic service template. */
  answer?: string;
  /** Its English version (same placeholders); absent → the English generic template for the intent's type. */
  answerEn?: string;
}

export function serviceIntentId(serviceId: string): string {
  return `svc:${serviceId}`;
}

/** intents.json intents in file order, then a `svc:` intent for every service without one, in services.json order. */
export function intentCatalog(content: RobotContent): IntentEntry[] {
  const entries: IntentEntry[] = content.intents.intents.map((intent) => ({
    id: intent.id,
    type: intent.type,
    ...(intent.serviceId !== undefined ? { serviceId: intent.serviceId } : {}),
    ...(intent.facilityIds !== undefined ? { facilityIds: intent.facilityIds } : {}),
    examples: intent.examples,
    answer: intent.answer,
    ...(intent.answerEn !== undefined ? { answerEn: intent.answerEn } : {}),
  }));
  const covered = new Set(entries.map((entry) => entry.serviceId).filter((id) => id !== undefined));
  for (const service of content.services.services) {
    if (!covered.has(service.id)) entries.push({ id: serviceIntentId(service.id), type: 'service', serviceId: service.id, examples: [] });
  }
  return entries;
}

/** "普通护照签发（首次申请、换发、补发）" → "普通护照签发": the name as people say it. */
export function shortServiceName(name: string): string {
  return name.replace(/[（(][^）)]*[）)]/g, '').replace(/["“”]/g, '').trim();
}

/**
 * Question templates for services. The two sets are worded differently on
 * purpose: `train` phrasings teach the model, `heldout` phrasings measure
 * whether it generalises to wordings it never saw.
 */
export const PHRASING_TEMPLATES = {
  train: [
    '{kw}怎么办',
    '我想办{kw}',
    '{kw}去哪里办',
    '{kw}要带什么材料',
    '办{kw}多少钱',
    '{kw}在几楼办',
    '{kw}要多久',
    '请问{kw}在哪个窗口',
    '{kw}咋个办咯',
    '我要{kw}',
    '{kw}',
    '{kw}需要什么手续',
    '{kw}收不收费',
    '想问下{kw}的事',
    '{kw}要几天能好',
    '{kw}在哪里弄',
    '帮我看下{kw}怎么搞',
    '{kw}要准备哪些东西',
  ],
  heldout: ['{kw}的流程是什么', '{kw}找哪个部门', '哪里可以办理{kw}', '{kw}能在这里办吗', '{kw}带哪些证件', '{kw}去哪里搞咯', '办理{kw}排哪个号'],
} as const;

export type PhrasingSet = keyof typeof PHRASING_TEMPLATES;

/** The terms a citizen might use for a service: its keywords and its (short) name, de-duplicated. */
export function serviceTerms(service: Service): string[] {
  return [...new Set([...service.keywords, shortServiceName(service.name)])];
}

/**
 * Terms that more than one service uses ("婚姻登记" is marriage and divorce):
 * a question made of such a term alone cannot name one service, so no phrasing
 * is generated from it — for training it would contradict itself, for
 * evaluation its label would be arbitrary. The model answers such a question
 * as unsure, with the services as suggestions.
 */
export function sharedServiceTerms(services: readonly Service[]): Set<string> {
  const owners = new Map<string, number>();
  for (const service of services) for (const term of serviceTerms(service)) owners.set(term, (owners.get(term) ?? 0) + 1);
  return new Set([...owners].filter(([, count]) => count > 1).map(([term]) => term));
}

/**
 * Generated questions for a service: every term in `perTerm` templates of the
 * set, chosen by a stable hash so the same content always gives the same list.
 */
export function servicePhrasings(service: Service, set: PhrasingSet, perTerm: number, skipTerms: ReadonlySet<string> = new Set()): string[] {
  const templates = PHRASING_TEMPLATES[set];
  const out = new Set<string>();
  for (const term of serviceTerms(service)) {
    if (skipTerms.has(term)) continue;
    const start = fnv1a(`${service.id}|${term}|${set}`) % templates.length;
    for (let k = 0; k < Math.min(perTerm, templates.length); k++) {
      const template = templates[(start + k * 7) % templates.length] ?? '{kw}';
      out.add(template.replace('{kw}', term));
    }
  }
  return [...out];
}

/** Where-is questions for facilities, generated from their names (training only). */
const FACILITY_TEMPLATES = ['{name}在哪里', '{name}在几楼', '怎么去{name}', '请问{name}在哪边', '带我去{name}', '这里有{name}吗', '{name}怎么走'];

/** "复印打印区" → ["复印打印区", "复印打印"]: the name and, when it ends in a place word, the name without it. */
export function facilityTerms(name: string): string[] {
  const plain = name.replace(/[（(][^）)]*[）)]/g, '').replace(/["“”]/g, '').trim();
  const stem = plain.replace(/(窗口|区|机|处|台|室)$/, '');
  return [...new Set([plain, ...(Array.from(stem).length >= 2 ? [stem] : [])])];
}

/**
 * Generated where-is questions for an intent's facilities. A facility listed
 * by more than one intent (the info desk serves both queue-status and
 * human-help) is skipped: its name alone cannot tell the intents apart.
 */
export function facilityPhrasings(content: RobotContent, entry: IntentEntry): string[] {
  const owners = new Map<string, number>();
  for (const other of intentCatalog(content)) for (const id of other.facilityIds ?? []) owners.set(id, (owners.get(id) ?? 0) + 1);
  const out = new Set<string>();
  for (const id of entry.facilityIds ?? []) {
    const facility = content.hall.facilities.find((f) => f.id === id);
    if (!facility || owners.get(id) !== 1) continue;
    for (const term of facilityTerms(facility.name)) for (const template of FACILITY_TEMPLATES) out.add(template.replace('{name}', term));
  }
  return [...out];
}

/**
 * Generic chit-chat the hall does not handle: topics × question frames. Used as
 * extra negatives for the `oos` class beside intents.json `outOfScope`.
 */
const CHITCHAT_TOPICS = [
  '天气', '下雨', '气温', '笑话', '故事', '股票', '基金', '黄金价格', '彩票', '比特币', '电影', '电视剧', '综艺节目', '歌', '音乐', '游戏',
  '足球比赛', '篮球', 'NBA', '奥运会', '美食', '火锅', '奶茶', '外卖', '饭馆', '酒店', '旅游景点', '机票', '火车票', '高铁', '出租车', '网约车',
  '减肥', '健身', '感冒药', '养生', '星座', '算命', '风水', '八卦新闻', '明星', '手机', '电脑', '数学题', '英语单词', '诗', '作文', '宠物狗',
  '猫', '花草', '衣服', '化妆品', '房价走势', '理财产品', '汽车品牌', '油价', '快递', '超市', '菜市场', '谜语',
  '演唱会', '动漫', '小说', '历史', '天文', '恐龙', '菜谱', '红烧肉做法', '咖啡', '啤酒', '烧烤', '夜市', '公园', '动物园', '电影院', '商场打折',
  '手机游戏', '王者荣耀', '世界杯', '象棋', '围棋', '钓鱼', '广场舞', '跑步', '瑜伽', '头疼', '牙疼', '失眠', '天气预报', '台风', '地震',
  '外星人', '人工智能', '明天的新闻', '汇率', '美元', '基金定投', '双色球', '熊猫', '旅游攻略', '长沙的景点', '臭豆腐', '米粉店', '网购', '直播带货',
];
const CHITCHAT_FRAMES = [
  '{t}怎么样', '推荐个{t}', '你喜欢{t}吗', '聊聊{t}', '最近{t}有什么新闻', '附近哪里有{t}', '给我说说{t}', '你懂{t}吗', '{t}哪个好',
  '今天{t}如何', '我想了解{t}', '有没有好的{t}', '{t}你知道吗', '跟我讲讲{t}', '{t}是什么', '你觉得{t}好不好', '帮我查查{t}', '哪里能找到{t}',
];
const CHITCHAT_FIXED = [
  '你叫什么名字呀小朋友', '你吃饭了吗', '你会不会累', '你是机器人吗能陪我玩吗', '你爸爸妈妈是谁', '你会唱歌吗', '现在几点了', '今天星期几',
  '一加一等于几', '地球为什么是圆的', '你喜欢我吗', '我好无聊', '陪我聊聊天', '你会说英语吗', '讲个睡前故事', '我今天心情不好',
  '帮我订个酒店', '帮我买张电影票', '哪里可以钓鱼', '附近有没有网吧可以打游戏', '明天去哪里玩', '猜猜我几岁', '你能跑多快', '给我跳个舞',
];

/**
 * Broad everyday requests a hall robot cannot serve, by kind of request rather
 * than topic: translating, looking things up, shopping, travel, health, sports
 * results, questions about the robot itself. Each kind has its own frames so the
 * negatives are not all "{topic}怎么样".
 */
const REQUEST_KINDS: { frames: string[]; fillers: string[] }[] = [
  { frames: ['{t}用英语怎么说', '帮我把{t}翻译一下', '{t}翻译成日语是什么', '{t}这个词什么意思'], fillers: ['谢谢', '早上好', '苹果', '再见', '我爱你', '朋友'] },
  { frames: ['{t}是谁', '{t}有多高', '{t}是哪一年', '为什么{t}'], fillers: ['李白', '珠穆朗玛峰', '长城', '天是蓝的', '秦始皇', '月亮会变'] },
  { frames: ['{t}多少钱一斤', '哪里买{t}便宜', '{t}打折吗', '推荐一款{t}'], fillers: ['苹果', '猪肉', '运动鞋', '口红', '洗衣机', '橘子'] },
  { frames: ['去{t}怎么坐车', '{t}好玩吗', '{t}门票多少钱', '周末去{t}玩'], fillers: ['橘子洲', '岳麓山', '张家界', '北京', '海边', '迪士尼'] },
  { frames: ['{t}吃什么药', '{t}怎么办好', '{t}要去医院吗', '{t}严不严重'], fillers: ['发烧', '咳嗽', '拉肚子', '血压高', '腰疼', '过敏'] },
  { frames: ['{t}比分多少', '{t}谁赢了', '{t}几点开始', '今晚{t}在哪看直播'], fillers: ['湖人', '国足', '乒乓球决赛', '女排', '世界杯', '湘超'] },
  { frames: ['你{t}', '浏浏你{t}', '你到底{t}'], fillers: ['今年多大了', '有没有女朋友', '住在哪里', '会做饭吗', '是哪里生产的', '喜欢什么颜色', '晚上睡觉吗', '有几斤重'] },
];

/**
 * A negative must not teach the `oos` class words citizens use for hall
 * business: a topic, filler or fixed part of a frame that occurs in an in-scope
 * text ("快递" — the hall mails certificates; "帮我查" — queue and progress
 * questions) is left out, so the negatives only carry what the hall does not do.
 */
export function chitchatNegatives(inScopeTexts: readonly string[] = []): string[] {
  const corpus = inScopeTexts.map(normalizeText).join('\n');
  const inScope = (part: string): boolean => {
    const plain = normalizeText(part);
    return Array.from(plain).length >= 2 && corpus.includes(plain);
  };
  const usableFrame = (frame: string): boolean => !frame.split('{t}').some(inScope);
  const out = new Set<string>(CHITCHAT_FIXED.filter((text) => !inScope(text)));
  const topicFrames = CHITCHAT_FRAMES.filter(usableFrame);
  for (const topic of CHITCHAT_TOPICS.filter((t) => !inScope(t))) {
    const start = fnv1a(topic) % topicFrames.length;
    for (let k = 0; k < 2; k++) out.add((topicFrames[(start + k * 7) % topicFrames.length] ?? '{t}').replace('{t}', topic));
  }
  for (const kind of REQUEST_KINDS) {
    const frames = kind.frames.filter(usableFrame);
    if (frames.length === 0) continue;
    kind.fillers.filter((f) => !inScope(f)).forEach((filler, i) => {
      for (let k = 0; k < 2; k++) out.add((frames[(i + k) % frames.length] ?? '{t}').replace('{t}', filler));
    });
  }
  return [...out];
}
