/**
 * Metadata lines around a speech's title: speaker and role (甘肃省省长 任振鹤), the dash-led
 * note (——四月八日在黄埔军官学校讲), the occasion inside a title (在……座谈会上的讲话), and a
 * page's publication date (发布:2024-05-09), which belongs to the source, never the speech.
 */
import { findDate, type ParsedDate } from './dates.ts';

const NAME = '[\\p{Script=Han}]{2,4}(?:[·•・][\\p{Script=Han}]{1,6})?';

/** Characters no personal name contains: function words and genre words (的欢送词 is not a name). */
const NOT_IN_NAME = /[的之在和与與对對为為是了讲講话話说說辞辭词詞稿议議会會年月日届屆]/u;

export function isPlausibleName(name: string): boolean {
  return !NOT_IN_NAME.test(name);
}

/**
 * Common surnames, simplified and traditional. Only used to find where a name glued to a role
 * begins (行政长官何厚铧…); characters that more often start an ordinary word after a role
 * (毕业, 全体, 新春, 高校, 祝福 …) are left out so that 校长毕业典礼 is not read as a name.
 */
const SURNAMES =
  '王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭董袁潘蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范贾賈夏韦韋付邹鄒孟熊秦邱尹薛闫閻段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵钱錢严嚴覃戴莫孔汤湯温溫康施牛樊葛邢齐齊乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹欧歐耿焦俞柳舒阮柯梅童凌裴霍涂苗翁冉骆駱靳柴鲍鮑喻祁蒲滕屈饶饒牟艾尤穆卓缪繆褚娄婁窦竇戚岑宫宮费費卜晏瞿佟臧闵閔邬鄔卞姬栾欒隋刁巫寇桑甄鞠荆荊冀郁胥储儲栗燕楚鄢谌諶奚粟冼蔺藺习習';
/** 宗良勇, 翟美卿: a common surname and one or two more characters. */
export function looksLikePersonName(s: string): boolean {
  return new RegExp(`^[${SURNAMES}][\\p{Script=Han}]{1,2}$`, 'u').test(s.trim()) && isPlausibleName(s.trim());
}

/** Characters that end a name glued to what follows (…何厚铧丙戌年, 趙國安4月): a 2-character name if the third is one. */
const AFTER_NAME = /^[在于於的同年月日新就第致讲講发發答出为為今昨明上下\d０-９（(，,、]/u;

/** A role followed by a name glued to it, anywhere in `text`: 国家主席习近平…, 行政长官曾荫权今日…. */
export function findRoleAndName(text: string): SpeakerGuess | undefined {
  for (const clause of text.replace(/^(以下|下面)(为|為|是)/u, '').split(/[，,。；;：:！？!?\s（）()]+/u)) {
    const m = new RegExp(`^(.{1,30}?${ROLE_END})([${SURNAMES}])([\\p{Script=Han}]{1,2})`, 'u').exec(clause);
    if (!m) continue;
    const [, role, surname, given] = m;
    const rest = clause.slice(role!.length + 1);
    const name = surname! + (given!.length === 2 && !AFTER_NAME.test(rest.slice(1)) && !AFTER_NAME.test(rest.slice(1, 2)) ? given : given![0]);
    const after = clause.slice(role!.length + name.length);
    if (name.length === 3 && AFTER_NAME.test(given![1]!)) continue;
    if (!isPlausibleName(name) || /^[\p{Script=Han}]/u.test(after) === false && after.length > 0 && !AFTER_NAME.test(after)) continue;
    return { name, role: role! };
  }
  return undefined;
}

/** Endings of official and academic titles: 省长, 市委副书记, 主席, 院长, 教授 … */
const ROLE_END =
  '(?:长官|長官|[长長]|书记|書記|主席|主任|委员|委員|总理|總理|理事|代表|顾问|顧問|总监|總監|经理|經理|董事|部长|部長|司令员|司令員|政委|参事|參事|专员|專員|巡视员|巡視員|院士|教授|研究员|研究員|先生|女士|大使|总裁|總裁|总统|總統|议员|議員|首相|主委|召集人|发言人|發言人|秘书|秘書|干事|幹事|特首|署长|署長|局长|局長|厅长|廳長|主编|主編|社长|社長)';

const ROLE_NAME_SPACED = new RegExp(`^(.{1,40}?${ROLE_END})[\\s　]+(${NAME})(?:同志)?$`, 'u');
const NAME_ROLE_SPACED = new RegExp(`^(${NAME})[\\s　]+(.{1,40}?${ROLE_END})$`, 'u');
const ROLE_NAME_JOINED = new RegExp(`^(.{1,40}${ROLE_END})(${NAME})(?:同志)?$`, 'u');
const NAME_PAREN_ROLE = new RegExp(`^(${NAME})[（(](.{2,40}?)[）)]$`, 'u');

export interface SpeakerGuess {
  /** Absent when only the role is stated (秘书长联合国日献词, 党委书记 **). */
  name?: string;
  role?: string;
}

/** A name withheld: 党委书记 **, 校长 ×××, 局长 某某. */
const MASKED_NAME = new RegExp(`^(.{2,30}?${ROLE_END})[\\s　]*(?:\\*{2,}|×{2,}|x{2,}|X{2,}|某某|○○|〇〇)$`, 'u');

/** Words that end like a role but are none: 增长, 成长, 延长 …. */
const NOT_A_ROLE = /(?:增长|增長|成长|成長|生长|生長|延长|延長|漫长|漫長|擅长|擅長|助长|助長|特长|特長|专长|專長|见长|見長|家长|家長|消长|消長)$/u;

/** A role standing alone (no name): at least three characters, and not an ordinary word. */
export function isBareRole(s: string): boolean {
  return [...s].length >= 3 && [...s].length <= 20 && new RegExp(`^[\\p{Script=Han}（）()、]+${ROLE_END}$`, 'u').test(s) && !NOT_A_ROLE.test(s);
}

function cleanRole(role: string): string {
  return role.replace(/[\s　]+/g, ' ').trim();
}

/**
 * A line naming the speaker: 甘肃省省长 任振鹤, 市委副书记、市长 龚正, 任振鹤（甘肃省省长）,
 * 主讲人：张三. Returns undefined for anything else.
 */
export function parseSpeakerLine(line: string): SpeakerGuess | undefined {
  if (line.length > 60) return undefined;
  let t = line.trim().replace(/^(?:主讲人|主講人|讲话人|講話人|演讲人|演講人|报告人|報告人|作者)[：:]\s*/u, '');
  if (t.length > 48 || /[，。！？；：,.!?;:]/u.test(t)) return undefined;
  t = t.replace(/[\s　]+/g, ' ');
  const masked = MASKED_NAME.exec(t);
  if (masked && !NOT_A_ROLE.test(masked[1]!.trim())) return { role: cleanRole(masked[1]!) };
  const guess = matchSpeaker(t);
  return guess && isPlausibleName(guess.name!) ? guess : undefined;
}

function matchSpeaker(t: string): SpeakerGuess | undefined {
  let m = ROLE_NAME_SPACED.exec(t);
  if (m) return { name: m[2]!, role: cleanRole(m[1]!) };
  m = NAME_ROLE_SPACED.exec(t);
  if (m) return { name: m[1]!, role: cleanRole(m[2]!) };
  m = NAME_PAREN_ROLE.exec(t);
  if (m) return { name: m[1]!, role: cleanRole(m[2]!) };
  m = ROLE_NAME_JOINED.exec(t);
  if (m && !/\s/.test(t)) return { name: m[2]!, role: cleanRole(m[1]!) };
  return undefined;
}

/** A bare name line (2–4 Han characters), trusted only next to other header lines. */
export function parseBareName(line: string): SpeakerGuess | undefined {
  if (line.length > 16) return undefined;
  const t = line.trim();
  const m = new RegExp(`^(${NAME})(?:同志)?$`, 'u').exec(t);
  return m && isPlausibleName(m[1]!) ? { name: m[1]! } : undefined;
}

/** Speech genres a title ends with. */
export const SPEECH_GENRE =
  '(?:讲话|講話|致辞|致詞|讲演|講演|演讲|演講|演说|演說|报告|報告|发言|發言|贺词|賀詞|献词|獻詞|献辞|獻辭|欢送词|歡送詞|欢迎词|歡迎詞|讲座|講座|讲稿|講稿|答问|答問|谈话|談話|致词|实录|實錄|讲|講)';

/** 提纲 / （摘要） / （全文） after the genre word. */
const TITLE_SUFFIX = '(?:提纲|提綱|摘要|要点|要點|全文|[（(](?:摘要|全文|节选|節選|摘编|摘編|提纲|提綱|实录|實錄|要点|要點|摘登)[）)])?';

const TITLE_OCCASION = new RegExp(`^(.*?)在(.+?)(?:上|中)?的${SPEECH_GENRE}${TITLE_SUFFIX}$`, 'u');

/** Looks like a speech title: 在……上的讲话, ……的致辞（摘要） … */
export function isSpeechTitle(line: string): boolean {
  return line.length <= 80 && new RegExp(`${SPEECH_GENRE}${TITLE_SUFFIX}$`, 'u').test(line);
}

/** Two-character roles that would read as a name: 县长, 校長, 书记 (县长在……上的讲话). */
const SHORT_ROLE = /^(?:[县縣市省区區镇鎮乡鄉村州校院局部处處厂廠社馆館所站科队隊行署]长|[县縣市省区區镇鎮乡鄉村州校院局部处處厂廠社馆館所站科队隊行署]長|书记|書記|主任|主席|总理|總理|总统|總統|首相|董事|总裁|總裁|经理|經理)$/u;

export interface TitleFacts {
  occasion?: string;
  speaker?: SpeakerGuess;
}

/**
 * What a title says about the speech: 在兰州新区高新技术企业座谈会上的讲话 → occasion
 * 兰州新区高新技术企业座谈会; 甘肃省省长任振鹤在……的讲话 → speaker 任振鹤, role 甘肃省省长.
 */
export function factsFromTitle(title: string): TitleFacts {
  const m = TITLE_OCCASION.exec(title.trim());
  if (!m) return isSpeechTitle(title) ? speakerOpeningTitle(title.trim()) : {};
  const facts: TitleFacts = {};
  const place = m[2]!.trim();
  if (place) facts.occasion = place;
  const who = m[1]!.replace(/同志$/u, '').replace(/[：:\s　]+$/u, '').trim();
  if (who) {
    const spaced = parseSpeakerLine(who);
    if (spaced) facts.speaker = spaced;
    else {
      const nameThenRole = new RegExp(`^([${SURNAMES}][\\p{Script=Han}]{1,2})(.{1,20}${ROLE_END})$`, 'u').exec(who);
      const roleThenName = new RegExp(`^(.{1,40}${ROLE_END})(${NAME})$`, 'u').exec(who);
      if (roleThenName) facts.speaker = { name: roleThenName[2]!, role: roleThenName[1]! };
      else if (nameThenRole && /^[\p{Script=Han}]{2,3}$/u.test(nameThenRole[1]!)) {
        facts.speaker = { name: nameThenRole[1]!, role: nameThenRole[2]! };
      } else if (isBareRole(who) || SHORT_ROLE.test(who)) facts.speaker = { role: who };
      else if (new RegExp(`^${NAME}$`, 'u').test(who)) facts.speaker = { name: who };
    }
  }
  return facts;
}

/**
 * A title that opens with the speaker, glued to the rest: 澳门特别行政区行政长官何厚铧丙戌年新春献辞
 * (role, name), 翟美卿总裁2023年新春致辞 and 唐納•川普總統就職演說 (name, role).
 */
function speakerOpeningTitle(title: string): TitleFacts {
  const nameRole = new RegExp(`^([\\p{Script=Han}]{1,4}[·•・][\\p{Script=Han}]{1,6}|[${SURNAMES}][\\p{Script=Han}]{1,2}?)([\\p{Script=Han}]{0,4}?${ROLE_END})`, 'u').exec(title);
  if (nameRole && isPlausibleName(nameRole[1]!) && charLength(nameRole[1]!) >= 2) {
    // 翟美卿总裁: the lazy name took 翟美 and the role 卿总裁; a 3-character name is likelier.
    let [name, role] = [nameRole[1]!, nameRole[2]!];
    if (!/[·•・]/u.test(name) && name.length === 2 && role.length >= 3) [name, role] = [name + role[0], role.slice(1)];
    return { speaker: { name, role } };
  }
  const roleName = findRoleAndName(title);
  if (roleName) return { speaker: roleName };
  // 秘书长联合国日献词, 大学校长毕业典礼致辞: a role opening the title, nobody named.
  const roleOnly = new RegExp(`^([\\p{Script=Han}]{1,8}?${ROLE_END})(?![${SURNAMES}])(.{2,})$`, 'u').exec(title);
  const occasion = roleOnly?.[2]!.replace(new RegExp(`${SPEECH_GENRE}${TITLE_SUFFIX}$`, 'u'), '') ?? '';
  if (roleOnly && isBareRole(roleOnly[1]!) && !/^[对對在为為致给給向于於]/u.test(roleOnly[1]!) && isSpeechTitle(roleOnly[2]!) && !/^的/u.test(occasion) && [...occasion].length >= 2) {
    return { speaker: { role: roleOnly[1]! } };
  }
  return {};
}

function charLength(s: string): number {
  return [...s].length;
}

/** Gatherings, not places: a dash note 在……大会讲 names the occasion. */
const OCCASION_END = new RegExp(
  '(?:大会|大會|会议|會議|全会|全會|论坛|論壇|典礼|典禮|仪式|儀式|[开開闭閉]幕式|毕业式|畢業式|开学式|開學式|(?<!青)年[会會]|' +
    '(?:座谈|座談|研讨|研討|演讲|演講|讲演|講演|报告|報告|纪念|紀念|联欢|聯歡|茶话|茶話|动员|動員|推进|推進|交流|发布|發佈|發布|' +
    '学术|學術|文艺|文藝|成立|表彰|总结|總結|欢迎|歡迎|追悼|庆祝|慶祝|峰|晚|酒|宴|誓师|誓師|恳谈|懇談|开学|開學|毕业|畢業|' +
    '工作|专题|專題|务虚|務虛|常委|理事|董事|全体|全體|学习|學習|培训|培訓|周年|週年|校友|同乐|同樂|游艺|遊藝)(?:大)?[会會])$',
  'u',
);

export interface DashNote {
  date?: ParsedDate;
  venue?: string;
  occasion?: string;
  /** ——在……上的讲话: a subtitle rather than a date/venue note. */
  subtitle?: string;
}

/**
 * The dash-led note under a title or at the head of a speech:
 * ——四月八日在黄埔军官学校讲 → date 4-8, venue 黄埔军官学校;
 * ——三月二日在左翼作家联盟成立大会讲 → occasion 左翼作家联盟成立大会;
 * ——在全市经济工作会议上的讲话 → subtitle.
 */
export function parseDashNote(line: string): DashNote | undefined {
  if (line.length > 70) return undefined;
  const m = /^(?:——|—|--|－－|――|―)\s*(.+)$/u.exec(line.trim());
  if (!m) return undefined;
  const body = m[1]!.trim();
  if (body.length > 60 || /[。！？]$/u.test(body)) return undefined;
  const date = findDate(body);
  const where = /在(.+?)(?:上|中)?(?:的)?(?:讲|講|演讲|演講|讲演|講演|讲话|講話|致辞|致詞|发言|發言|演说|演說|报告|報告)?(?:词|詞|稿)?$/u.exec(
    date ? body.slice(date.index + date.text.length) : body,
  );
  if (!date && !where) return undefined;
  const note: DashNote = {};
  if (date) note.date = date;
  if (where) {
    const place = where[1]!.trim();
    if (OCCASION_END.test(place)) note.occasion = place;
    else note.venue = place;
    if (!date && isSpeechTitle(body)) note.subtitle = body;
  }
  return note;
}

/** A web publication date in page chrome: 发布:2024-05-09, 发布时间：2024年5月9日 10:20. */
export function findPublishedDate(line: string): string | undefined {
  if (!/(发布|發佈|發布|发表|發表|更新|时间|時間|日期|来源|來源|编辑|編輯|浏览|瀏覽|阅读|閱讀|栏目|欄目)/u.test(line)) return undefined;
  const d = findDate(line);
  return d?.iso;
}
