/**
 * Names stay names: a surname is not converted as the common word its character also
 * writes (范长江 is 范長江, not 範長江; 钟山 is 鍾山, not 鐘山; 于漪 is 于漪, not 於漪).
 *
 * A stretch of text is a name when
 * - the editor or the speech's metadata names it (the speaker, the user dictionary),
 * - it is a well-known person or place (the list below, and jieba's own person and place
 *   words that begin with a surname),
 * - a surname with a one- or two-character given name stands before a title (先生, 同志,
 *   书记, 省长, 教授 …) or alone between punctuation, or
 * - it is a village or town named after a family (于家庄, 党家村, 范庄镇).
 *
 * A name's characters take their name forms (NAME_FORMS) where they have one, else their
 * ordinary conversion.
 */
import type { Token } from './segmentation.ts';

/**
 * Characters whose form in a name differs from their usual conversion: the surname (or
 * given-name) form, in the standard traditional spelling (regional variants follow).
 */
export const NAME_FORMS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    范: '范', 余: '余', 于: '于', 干: '干', 钟: '鍾', 党: '党', 郁: '郁', 朴: '朴', 后: '后', 谷: '谷',
    姜: '姜', 沈: '沈', 冲: '沖', 松: '松', 岩: '岩', 斗: '斗', 里: '里', 志: '志', 准: '准', 表: '表',
    咸: '咸', 卜: '卜', 占: '占', 曲: '曲', 征: '征', 游: '游', 仇: '仇', 系: '系', 蒙: '蒙', 佟: '佟',
  }),
);

/**
 * Surnames whose character is also a common word with another traditional form. Only
 * these need recognising; other surnames convert the same either way.
 */
const AMBIGUOUS_SURNAMES = new Set(['范', '余', '于', '干', '钟', '党', '郁', '朴', '谷', '姜', '沈']);

/**
 * Surnames that, standing alone as a word, are almost never the common word (防范, 规范,
 * 示范 are words of their own): a given name after them is enough.
 */
const STANDALONE_SURNAMES = new Set(['范']);

/** Common Chinese surnames (the first character of a person word). */
const SURNAMES = new Set(
  Array.from(
    '干王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公湛宾戎勾茅利呼居揭但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由',
  ),
);

/** Words that follow a person's name: titles, ranks, forms of address. */
export const TITLES = [
  '先生', '女士', '同志', '书记', '省长', '市长', '县长', '区长', '镇长', '乡长', '村长', '州长', '部长', '局长',
  '厅长', '处长', '科长', '司长', '署长', '校长', '院长', '所长', '馆长', '社长', '会长', '行长', '董事长', '总裁',
  '经理', '厂长', '主任', '主席', '总理', '总统', '委员', '委员长', '议员', '代表', '大使', '将军', '元帅', '司令',
  '司令员', '政委', '教授', '老师', '院士', '博士', '医生', '大夫', '律师', '记者', '作家', '诗人', '画家', '导演',
  '烈士', '同学', '师傅', '研究员', '工程师', '编辑', '主编', '总编', '秘书长', '副主席', '副总理', '副省长',
  '副市长', '副部长', '副书记', '小姐', '夫人', '太太', '君', '氏', '老', '公', '等人', '等',
];

/**
 * Well-known people and places whose names hold an ambiguous surname or character, as
 * written in simplified Chinese. They are added to the segmenter's dictionary too, so that
 * 于是之 is one name and not 于是 (then) + 之. Names that are also common phrases (于蓝 in
 * 青出于蓝, 钟会 in 钟会响) are left to the rules above.
 */
export const WELL_KNOWN_NAMES = [
  // People.
  '范仲淹', '范蠡', '范晔', '范缜', '范成大', '范文澜', '范长江', '范曾', '范敬宜', '范旭东', '范源濂', '范增', '范雎',
  '范宁', '范云', '范进', '范伟', '范冰冰', '范志毅', '范用', '范小青', '范稳',
  '余光中', '余秋雨', '余华', '余靖', '余英时', '余承东', '余世存', '余旭', '余阙', '余玠', '余叔岩', '余心乐',
  '于谦', '于敏', '于右任', '于漪', '于是之', '于丹', '于成龙', '于光远', '于若木', '于伶', '于非闇',
  '于学忠', '于会泳', '于再清',
  '钟南山', '钟繇', '钟嵘', '钟馗', '钟子期', '钟扬', '钟惦棐', '钟敬文', '钟叔河',
  '干宝', '干将', '党怀英', '郁达夫', '郁飞', '谷牧', '谷超豪', '谷文昌', '姜子牙', '姜夔', '姜文', '姜维',
  '沈括', '沈从文', '沈钧儒', '沈雁冰', '沈周', '沈约', '仇英', '曹冲', '后羿', '卜商',
];

/** Well-known places whose names hold an ambiguous character. */
export const WELL_KNOWN_PLACES = [
  '里耶', '范县', '范公堤', '于家堡', '于都', '党项', '钟山', '钟楼区', '钟山区', '钟祥', '谷城', '郁南', '咸阳',
  '干将莫邪', '沈丘', '姜堰',
];

const WELL_KNOWN = new Set([...WELL_KNOWN_NAMES, ...WELL_KNOWN_PLACES]);

/**
 * Surnames that are also very common function words (于 "at", 干 "do"): their given name
 * must be a word jieba knows as a name or a name character.
 */
const FUNCTION_WORD_SURNAMES = new Set(['于', '干']);
const NAME_TAG = /^(?:nr|g|ng)/;

/**
 * Characters that begin a title or end an office rather than end a name (党委副书记,
 * 钟总经理, 党政办主任).
 */
const TITLE_PREFIXES = new Set(Array.from('副总常前原代老小大第各正办处科室局部委组司厅院所站队班校会社团中馆'));

/** Characters that cannot be a one-character given name (particles, pronouns, conjunctions). */
const NOT_GIVEN_NAME_TAGS = /^(?:p|c|u.*|y|e|o|r.*|d|f|m|mq|q|t|x|w|eng)$/;

/** Text after a name that ends it: nothing, punctuation, or a title. */
const PUNCTUATION = /^[\s，。、；：？！“”‘’「」『』（）《》〈〉…—·,.;:?!()]/;

/**
 * Marks the tokens that are (parts of) names; `isDictionaryWord` tells the words opencc
 * has a conversion of its own for (沈阳 → 瀋陽, 钟声 → 鐘聲), which are not names.
 */
export function findNameTokens(tokens: readonly Token[], isDictionaryWord: (word: string) => boolean): boolean[] {
  const isName = new Array<boolean>(tokens.length).fill(false);
  const n = tokens.length;
  const after = (i: number) => (i < n ? tokens[i]!.text : '');
  const endsName = (i: number) => {
    const next = after(i);
    return next === '' || PUNCTUATION.test(next) || TITLES.some((t) => next.startsWith(t));
  };
  const endsNameStrictly = (i: number) => {
    const next = after(i);
    return TITLES.some((t) => next.startsWith(t) && t.length > 1);
  };
  /**
   * The given name after a surname at i: one or two one-character words whose tags
   * `allowed` accepts, or one two-character person word, followed by what `ends` accepts.
   */
  const givenName = (
    i: number,
    allowed: (tag: string) => boolean,
    ends: (at: number) => boolean,
    twoCharacterWord: (tag: string) => boolean = (tag) => tag.startsWith('nr'),
  ): number[] => {
    const given: number[] = [];
    for (let j = i + 1; j < n && given.length < 2; j++) {
      const g = tokens[j]!;
      const isGivenCharacter = /\p{Script=Han}/u.test(g.text) && !TITLE_PREFIXES.has(g.text);
      if (g.text.length === 1 && isGivenCharacter && allowed(g.tag)) given.push(j);
      else if (given.length === 0 && g.text.length === 2 && twoCharacterWord(g.tag)) {
        given.push(j);
        break;
      } else break;
    }
    while (given.length > 0 && !ends(given[given.length - 1]! + 1)) given.pop();
    return given;
  };
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const first = t.text[0]!;
    if (WELL_KNOWN.has(t.text)) {
      isName[i] = true;
      continue;
    }
    // jieba's own person words (钟南山, 范长江, 曹冲称象) that begin with a surname, unless
    // opencc knows the word as a common one (钟声 鐘聲, tagged as a name by jieba).
    if (t.tag.startsWith('nr') && t.text.length >= 2 && SURNAMES.has(first) && !isDictionaryWord(t.text)) {
      isName[i] = true;
      continue;
    }
    // Villages and towns named after a family: 于家庄, 党家村, 范庄镇, 余家|湾.
    if (t.text.length <= 2 && AMBIGUOUS_SURNAMES.has(first)) {
      const rest = tokens.slice(i, i + 4).map((x) => x.text).join('').slice(1);
      if (/^(?:家[庄村屯寨集营堡湾沟坪岭桥店坡洼窝]|[庄村屯寨集营堡湾沟][镇村乡县区街])/.test(rest)) {
        isName[i] = true;
        continue;
      }
    }
    // A surname jieba joined with the first character of the given name (党国|英 研究员):
    // a two-character word and one character before a title.
    if (t.text.length === 2 && AMBIGUOUS_SURNAMES.has(first)) {
      const next = tokens[i + 1];
      if (next && next.text.length === 1 && /\p{Script=Han}/u.test(next.text) && !TITLE_PREFIXES.has(next.text) &&
        !NOT_GIVEN_NAME_TAGS.test(next.tag) && endsNameStrictly(i + 2)) {
        isName[i] = isName[i + 1] = true;
        i++;
      }
      continue;
    }
    if (t.text.length !== 1 || !AMBIGUOUS_SURNAMES.has(first)) continue;
    // A surname followed by a one- or two-character given name (one or two words of one
    // character each, or one two-character word tagged as a name), then a title,
    // punctuation or the end.
    // Before a title any given name will do; otherwise 于 and 干 need one jieba knows as
    // a name, and 党 (跟党走) always needs the title.
    const anyGiven = (tag: string) => !NOT_GIVEN_NAME_TAGS.test(tag);
    const beforeTitle = givenName(i, anyGiven, endsNameStrictly, anyGiven);
    // Without a title, 于 and 干 begin a name only where a name can begin: at the start,
    // after punctuation or 和/与 (取之于蓝 is "from the indigo", 于蓝， alone the actress).
    const prevText = i > 0 ? tokens[i - 1]!.text : '';
    const canBegin =
      !FUNCTION_WORD_SURNAMES.has(first) || prevText === '' || PUNCTUATION.test(prevText) ||
      /^(?:和|与|及|同|跟)$/.test(prevText) || TITLES.some((t) => t.length > 1 && prevText.endsWith(t));
    const given =
      beforeTitle.length > 0 || first === '党' || !canBegin
        ? beforeTitle
        : givenName(
            i,
            (tag) => STANDALONE_SURNAMES.has(first) || (FUNCTION_WORD_SURNAMES.has(first) ? NAME_TAG.test(tag) : !NOT_GIVEN_NAME_TAGS.test(tag)),
            endsName,
            (tag) => !FUNCTION_WORD_SURNAMES.has(first) && tag.startsWith('nr'),
          );
    if (given.length === 0) {
      // 范 standing alone as a word is a surname (防范, 规范, 示范 are words of their own);
      // so is any of these right before a title (于老师, 钟老, 余先生), 党 aside (党委员).
      if (STANDALONE_SURNAMES.has(first) || (first !== '党' && endsNameStrictly(i + 1))) isName[i] = true;
      continue;
    }
    // A lone ambiguous surname before a given name: the common-word readings (于 "at",
    // 干 "do", 余 "more than" after a numeral) come first unless the name ends cleanly.
    if (first === '余' && i > 0 && /[\d一二三四五六七八九十百千万亿两几]$/.test(tokens[i - 1]!.text)) continue;
    isName[i] = true;
    for (const j of given) isName[j] = true;
  }
  return isName;
}

/** Converts a name character by character: name forms first, else `convertChar`. */
export function convertName(name: string, convertChar: (c: string) => string): string {
  let out = '';
  for (const c of name) out += NAME_FORMS.get(c) ?? convertChar(c);
  return out;
}

/** Dictionary lines for the segmenter: the well-known names as person or place words. */
export function nameSegmentationWords(): string[] {
  return [...WELL_KNOWN_NAMES.map((w) => `${w} 100000 nr`), ...WELL_KNOWN_PLACES.map((w) => `${w} 100000 ns`)];
}
