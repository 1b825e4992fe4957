/**
 * One-to-many characters decided by the words around them, where opencc's phrase table
 * has no word for the case (a character standing alone as a word, or a word opencc does
 * not list). Forms are standard traditional (OpenCC's `t`); the region's variants follow.
 *
 * Two kinds of rule:
 * - word rules: the character takes FORM inside one of WORDS. A word matches only where it
 *   does not cut a segmented word in two (修|表 and 揪|面片 match 修表 and 面片; 表面|片
 *   does not match 面片), so the rules obey the same word boundaries as conversion;
 * - class rules: a test on the neighbouring words (a numeral before 只, a drink after 冲).
 *
 * tests/script/context-rules.test.ts converts real phrases for every rule.
 */
import type { Token } from './segmentation.ts';

export interface WordRule {
  /** Traditional form the character takes. */
  form: string;
  /** Simplified words, space-separated, each containing the character. */
  words: string;
  reason: string;
}

/** Where a character stands, for class rules. */
export interface CharContext {
  /** The word holding the character, its part of speech, and the character's index in it. */
  token: Token;
  index: number;
  /** Neighbouring words ('' and tag 'x' at the ends of the text). */
  prev: Token;
  next: Token;
  /** The word after next. */
  next2: Token;
}

export interface ClassRule {
  form: string;
  reason: string;
  /** A guess worth a proofreader's look (listed in the report). */
  doubt?: boolean;
  test(c: CharContext): boolean;
}

export const WORD_RULES: Readonly<Record<string, readonly WordRule[]>> = {
  制: [
    {
      form: '製',
      reason: '製 is making a thing (製造, 炒製, 刻製, 編製預算)',
      words:
        '制造 制作 制品 制成 制药 制图 制表 制衣 制茶 制瓷 制陶 制种 制剂 制版 制片 制冷 制糖 制盐 制革 制鞋 制备 制取 制酒 制墨 制笔 制香 制伞 ' +
        '炒制 刻制 研制 监制 摄制 录制 绘制 复制 仿制 特制 腌制 熬制 酿制 精制 配制 调制 烧制 缝制 定制 印制 泡制 炮制 试制 订制 烘制 焙制 ' +
        '铸制 锻制 炼制 晒制 蒸制 手制 缩制 烙制 织制 轧制 熏制 卤制 煎制 煮制 榨制 漆制 雕制 纺制 塑制 模制 预制 拍制 ' +
        '编制预算 编制规划 编制计划 编制方案 编制报告 编制报表 编制目录 编制名录 编制清单 编制标准 编制地图 编制年鉴 编制程序',
    },
    {
      form: '制',
      reason: '制 is a system or a restraint (制度, 機制, 控制, 制約)',
      words:
        '制度 体制 机制 控制 制定 制约 限制 克制 抑制 管制 节制 制止 专制 法制 税制 学制 制订 制衡 制裁 制服 因地制宜 牵制 遏制 ' +
        '强制 规制 建制 制胜 制高点 帝制 币制 兵制 官制 礼制 旧制 新制 公制 英制 两制 反制 钳制 挟制 体制内 编制内 编制外 人员编制',
    },
  ],
  准: [
    {
      form: '准',
      reason: '准 is permission (不准, 批准, 准入); 準 is accuracy or a standard',
      words: '不准 批准 准许 准予 准入 核准 获准 恩准 准假 准考 准考证 照准 准将 允准 报准 准生 准奏 准其 未准 不准许 谁准 准你',
    },
  ],
  冲: [
    {
      form: '沖',
      reason: '沖 is water rushing or pouring, and offsetting an account (沖茶, 沖洗, 沖抵); 衝 is charging forward',
      words:
        '冲冲 冲茶 冲泡 冲洗 冲刷 冲凉 冲澡 冲抵 冲销 冲账 冲帐 冲减 冲红 冲淡 冲积 冲服 冲喜 冲剂 冲调 冲印 冲天 冲绳 冲水 冲厕 冲奶 冲咖啡 冲开水',
    },
  ],
  谷: [
    {
      form: '穀',
      reason: '穀 is grain (稻穀, 穀堆); 谷 is a valley',
      words: '谷物 谷子 谷堆 谷仓 谷场 谷穗 谷壳 谷粒 谷雨 谷草 谷糠 稻谷 五谷 打谷 晒谷 新谷 谷类 谷种 谷芽 谷米 谷贱伤农 谷地里',
    },
  ],
  斗: [
    {
      form: '斗',
      reason: '斗 is the dry measure and things shaped like it (斗米, 北斗, 漏斗); 鬥 is fighting',
      words: '斗米 升斗 斗室 斗胆 斗笠 斗篷 斗拱 北斗 星斗 泰斗 漏斗 烟斗 熨斗 斗转星移 斗酒 斗大 筋斗 斗方 八斗 斗量 车载斗量',
    },
  ],
  卷: [
    {
      form: '捲',
      reason: '捲 is rolling up (席捲, 捲入, 漫捲); 卷 is a volume or a paper',
      words: '卷起 卷入 席卷 卷土 风卷 龙卷 漫卷 卷曲 卷发 卷烟 卷帘 卷走 卷进 卷成 翻卷 舒卷 卷铺盖 卷袖 花卷 春卷 蛋卷 胶卷',
    },
  ],
  历: [
    {
      form: '曆',
      reason: '曆 is a calendar (校曆, 農曆, 曆法); 歷 is passing through',
      words: '日历 阳历 农历 阴历 公历 校历 挂历 台历 年历 月历 周历 历法 历书 皇历 黄历 旧历 夏历 藏历 回历 万年历 历元',
    },
  ],
  须: [
    {
      form: '鬚',
      reason: '鬚 is a beard or feelers (鬍鬚, 觸鬚); 須 is must',
      words: '胡须 触须 须发 须眉 龙须 根须 虎须 八字须 山羊须 白须 长须 须根 捋须 剃须 美须 须鲸 花白胡须',
    },
  ],
  表: [
    {
      form: '錶',
      reason: '錶 is a watch or a meter (手錶, 修錶, 電錶); 表 is a table or to express',
      words: '修表 手表 钟表 怀表 秒表 电表 水表 表带 表盘 表链 表针 表壳 名表 戴表 金表 腕表 表店 表行 煤气表 码表',
    },
  ],
  御: [
    {
      form: '禦',
      reason: '禦 is resisting (防禦, 抵禦, 共禦外侮); 御 is imperial or driving',
      words: '防御 抵御 御敌 御寒 御侮 共御 守御 御外 捍御 拒御',
    },
  ],
  咸: [
    {
      form: '咸',
      reason: '咸 is "all" in classical phrases (咸與維新, 老少咸宜) and a place (咸陽); 鹹 is salty',
      words: '咸与 咸宜 咸集 咸称 咸阳 咸丰 咸亨 咸宁 咸池 咸服 阿咸',
    },
  ],
  志: [
    {
      form: '誌',
      reason: '誌 is recording or marking (雜誌, 以誌紀念, 聊齋誌異); 志 is will',
      words: '以志 志异 志喜 志哀 志庆 志谢 墓志 墓志铭 杂志 标志 日志 志怪',
    },
  ],
  游: [
    {
      form: '游',
      reason: '游 is swimming and a river\'s course (游泳, 游向, 上游); 遊 is travelling',
      words: '游泳 上游 下游 中游 游向 游过 游到 游回 游进 游出 游水 游动 游来游去 洄游 回游 游弋 游鱼 潜游 仰游 蛙游 游上岸',
    },
  ],
  划: [
    {
      form: '划',
      reason: '划 is rowing (划船) and "worth it" (划算); 劃 is drawing or planning',
      words: '划船 划桨 划艇 划龙舟 划竹筏 划木筏 划皮筏 划皮艇 划舢板 划小船 划拳 划算 划得来 划不来 划水',
    },
  ],
  面: [
    {
      form: '麵',
      reason: '麵 is flour and noodles (麵條, 麵片, 麵館); 面 is a face or a side',
      words:
        '面片 面饼 面团 面汤 面食 面馆 面点 面皮 面筋 面糊 面粉 面条 挂面 炒面 汤面 凉面 冷面 烩面 削面 刀削面 捞面 揪面 油泼面 臊子面 ' +
        '担担面 热干面 板面 和面 擀面 揉面 发面 吃面 一碗面 碗面 小面 面疙瘩 面坊',
    },
  ],
  系: [
    {
      form: '係',
      reason: '係 is "is, are" in formal prose (純係捏造, 均係自願, 確係)',
      words: '纯系 均系 确系 实系 乃系 即系 皆系 俱系 概系 悉系 系属 多系 亦系 系指',
    },
    {
      form: '繫',
      reason: '繫 is tying or binding (繫上, 命運繫在一起, 維繫)',
      words: '系上 系在 系于 系着 系住 系紧 系好 系牢 系挂 维系 联系 系鞋带 系领带 系安全带 心系 牵系 系念',
    },
  ],
  钟: [
    {
      form: '鍾',
      reason: '鍾 is concentrating feeling (鍾情, 鍾愛) and a surname; 鐘 is a bell or a clock',
      words: '钟情 钟爱 钟意 钟灵毓秀 一见钟情 老态龙钟 龙钟',
    },
    {
      form: '鐘',
      reason: '鐘 is a bell or a clock, and the hour (幾點鐘, 鐘頭, 警鐘)',
      words: '点钟 钟头 钟点 钟声 钟表 钟楼 警钟 敲钟 撞钟 闹钟 挂钟 座钟 丧钟 钟鼓 钟摆 时钟 分钟 秒钟',
    },
  ],
  征: [
    {
      form: '征',
      reason: '征 is a journey or campaign (征程, 長征, 出征); 徵 is levying or a sign',
      words: '征程 新征程 长征 出征 远征 征途 征战 征服 征伐 征讨 征尘 征衣 征夫 征人 南征北战 东征 西征',
    },
  ],
  干: [
    {
      form: '乾',
      reason: '乾 is dry or used up (曬乾, 喝乾); 幹 is doing',
      words:
        '晒干 烘干 风干 擦干 吹干 烤干 晾干 阴干 喝干 吃干 榨干 抽干 舔干 蒸干 哭干 流干 烧干 吸干 拧干 沥干 控干 ' +
        '干辣椒 干枣 干果 干货 干粮 干菜 干鱼 干虾 干贝 干荔枝 干荔支 干桂圆 干笋 干豆腐 干面包 干草 干柴 干肉 干酪 干蘑菇 干花',
    },
  ],
  里: [
    {
      form: '里',
      reason: '里 is the unit of distance and a neighbourhood (公里, 百里, 故里, 鄰里)',
      words: '公里 英里 海里 华里 千里 万里 百里 故里 邻里 乡里 里弄 里程 里程碑 里巷 闾里 里长',
    },
  ],
  吁: [
    {
      form: '吁',
      reason: '吁 is a sigh (吁嗟, 長吁短嘆, 氣喘吁吁); 籲 is appealing (呼籲)',
      words: '吁嗟 嗟吁 长吁 吁气 吁了一口气 气喘吁吁',
    },
  ],
  云: [
    {
      form: '云',
      reason: '云 is "to say" in quotations (古人云, 有云, 人云亦云); 雲 is a cloud',
      words: '古人云 有云 人云亦云 不知所云 诗云 书云 云云 语云 谚云 经云 传云',
    },
  ],
  郁: [
    {
      form: '郁',
      reason: '郁 is fragrant or rich in culture (濃郁, 馥郁, 郁郁乎文哉); 鬱 is gloomy or dense',
      words: '郁郁乎 浓郁 馥郁 芬郁 郁烈 文采郁郁 郁李',
    },
  ],
  岩: [
    {
      form: '岩',
      reason: 'Taiwan and Hong Kong write 岩 (岩石, 攀岩); opencc gives the variant 巖',
      words: '岩',
    },
  ],
  余: [
    {
      form: '余',
      reason: '余 is "I" in classical prose',
      words: '余以为 余谓 余尝',
    },
  ],
};

const NUMERAL_END = /[\d〇零一二三四五六七八九十百千万亿两几数多半]$/;
const DEMONSTRATIVE = /^(?:这|那|每|哪|某|各|该|此|单|一)$/;
const NOUN_TAG = /^(?:n|nr|ns|nt|nz|ng|an|vn)/;

export const CLASS_RULES: Readonly<Record<string, readonly ClassRule[]>> = {
  只: [
    {
      form: '隻',
      reason: 'measure word after a numeral (三隻, 數千隻, 好幾隻)',
      test: (c) =>
        c.index === c.token.text.length - 1 &&
        (c.index > 0 ? NUMERAL_END.test(c.token.text.slice(0, c.index)) : NUMERAL_END.test(c.prev.text) && c.prev.tag.startsWith('m')),
    },
    {
      form: '隻',
      reason: 'measure word between a demonstrative and a noun (這隻貓, 每隻羊)',
      test: (c) => c.token.text === '只' && DEMONSTRATIVE.test(c.prev.text) && NOUN_TAG.test(c.next.tag),
    },
  ],
  冲: [
    {
      form: '沖',
      reason: 'pouring water, on a drink or to flush (沖一杯咖啡, 沖茶, 沖廁所)',
      test: (c) =>
        c.token.text === '冲' && /^(?:[一两几半]?[杯壶碗包袋]|茶|咖啡|奶粉|开水|热水|凉水|水|厕所|马桶|澡)/.test(c.next.text + c.next2.text),
    },
  ],
  里: [
    {
      form: '里',
      reason: 'unit of distance after a numeral (五千里, 幾十里路)',
      test: (c) => (c.index > 0 ? NUMERAL_END.test(c.token.text.slice(0, c.index)) : NUMERAL_END.test(c.prev.text)),
    },
  ],
  斗: [
    {
      form: '斗',
      reason: 'dry measure after a numeral (五斗米, 一斗)',
      test: (c) => (c.index > 0 ? NUMERAL_END.test(c.token.text.slice(0, c.index)) : NUMERAL_END.test(c.prev.text) && c.prev.tag.startsWith('m')),
    },
  ],
  须: [
    {
      form: '鬚',
      reason: 'a beard after 鬍 or a shape (絡腮鬍鬚, 八字鬚)',
      test: (c) => c.token.text === '须' && /(?:胡|八字|山羊|白|龙|虎|触)$/.test(c.prev.text),
    },
  ],
  云: [
    {
      form: '云',
      reason: '"says" before a quotation (有云：「…」) or after a person or a book (莊子云, 先賢云, 古人云)',
      doubt: true,
      test: (c) =>
        c.token.text === '云' &&
        (/^[：:“「]/.test(c.next.text) ||
          ((c.prev.tag.startsWith('nr') || /(?:子|人|贤|圣|书|经|诗|传|语|谚|言|曰|某|氏|公|君|者|记|志)$/.test(c.prev.text)) &&
            (c.next.text === '' || /^[，,‘『。]/.test(c.next.text)))),
    },
  ],
  松: [
    {
      form: '鬆',
      reason: 'loosening, a verb or adjective standing alone (不能鬆, 鬆一口氣)',
      doubt: true,
      test: (c) => c.token.text === '松' && /^(?:v|a|ad|vn|z)$/.test(c.token.tag),
    },
  ],
  面: [
    {
      form: '麵',
      reason: 'noodles named by what goes in them or how they are made (牛肉麵, 涼麵, 酸辣麵)',
      test: (c) =>
        c.token.tag.startsWith('n') &&
        c.index === c.token.text.length - 1 &&
        /[肉酱炒拌凉冷拉削挂杂酸辣鸡鱼虾蛋卤烩焖担泼臊刀]$/.test(c.index > 0 ? c.token.text.slice(0, c.index) : c.prev.text),
    },
  ],
  台: [
    {
      form: '颱',
      reason: 'a typhoon after 抗, 防, 避 (抗颱救災)',
      test: (c) => c.token.text === '台' && /(?:抗|防|避|躲|迎战)$/.test(c.prev.text),
    },
  ],
  干: [
    {
      form: '乾',
      reason: 'dried food: 干 alone before a food (乾荔支, 乾棗, 乾魚)',
      test: (c) => c.token.text === '干' && /^[枣鱼虾肉菜果草柴粮饭荔笋贝椒蘑菇豆粉馍饼梅杏柿桃]/.test(c.next.text),
    },
  ],
  钟: [
    {
      form: '鐘',
      reason: 'a bell or a clock, a word of its own (和平鐘, 敲鐘, 幾點鐘)',
      doubt: true,
      test: (c) => c.token.text === '钟',
    },
  ],
  划: [
    {
      form: '划',
      reason: 'rowing a boat (划竹筏, 划著小船)',
      test: (c) => /^划[着了过]?$/.test(c.token.text) && /[船筏艇舟桨排]/.test(c.next.text + c.next2.text),
    },
  ],
  游: [
    {
      form: '游',
      reason: 'swimming: 游 alone before a direction (游向對岸, 游過長江)',
      test: (c) => c.token.text === '游' && /^(?:向|过|到|回|进|出|去|来|上|往|至|了)/.test(c.next.text),
    },
  ],
};

/**
 * Characters that, standing alone as a word, still have more than one common traditional
 * reading (干 幹/乾, 面 面/麵, 台 臺/檯/颱, 只 只/隻 …). When no rule decides them, the
 * proofreading report lists them. Others alone have one reading in modern prose (了 is
 * 了, 并 is 並, 于 is 於 unless a name): their other forms live inside words (瞭解, 合併).
 */
export const SPLIT_WHEN_ALONE = new Set(
  Array.from('干发台面冲松系斗卷须谷表余借尽复划游咸征制准云胡采舍蒙托折吁坛郁伙钟占症'),
);

/** Characters that have a word or class rule. */
export function ruledCharacters(): Set<string> {
  return new Set([...Object.keys(WORD_RULES), ...Object.keys(CLASS_RULES)]);
}
