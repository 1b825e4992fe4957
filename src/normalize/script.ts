/**
 * Script detection: zh-Hans or zh-Hant, from characters that exist in only one of them.
 * Detection only: wenji never converts a source's script while reading it.
 */
import type { Lang } from '../model/speech.ts';

// Frequent simplified/traditional pairs in speeches; each side occurs only in its own script.
const PAIRS =
  '这這们們个個来來说說时時为為会會国國后後发發经經问問学學对對过過还還进進动動种種么麼实實现現开開关關长長书書门門见見' +
  '听聽话話语語讲講让讓认認识識该該样樣觉覺员員总總给給从從东東两兩业業应應华華当當将將点點无無么麼义義与與间間' +
  '并並几幾边邊变變历歷产產众眾传傳们們则則刚剛办辦务務劳勞区區卫衛厂廠县縣参參双雙变變压壓厅廳历歷师師' +
  '导導层層岁歲帮幫干幹广廣庆慶应應怀懷战戰报報护護样樣术術机機权權条條极極构構标標样樣欢歡气氣汉漢没沒' +
  '济濟热熱爱愛环環电電疗療发發监監盖蓋着著码碼礼禮离離积積称稱稳穩竞競笔筆类類级級纪紀线線组組经經结結' +
  '给給统統继繼续續维維网網罗羅职職联聯肃肅胜勝节節药藥虽雖认認讨討论論设設证證评評识識译譯试試该該' +
  '语語误誤说說请請读讀调調谈談贵貴费費资資赛賽赶趕轻輕较較运運还還进進远遠选選递遞释釋钱錢铁鐵门門问問' +
  '间間闻聞队隊阶階际際难難页頁领領频頻题題飞飛馆館驱驅验驗鱼魚鸟鳥齐齊龙龍';

// 1 = simplified only, 2 = traditional only, by UTF-16 code unit (all pairs are in the BMP).
const SCRIPT_OF = new Uint8Array(0x10000);
for (let i = 0; i + 1 < PAIRS.length; i += 2) {
  SCRIPT_OF[PAIRS.charCodeAt(i)] = 1;
  SCRIPT_OF[PAIRS.charCodeAt(i + 1)] = 2;
}

/** zh-Hant when traditional-only characters outnumber simplified-only ones; else zh-Hans. */
export function detectScript(text: string): Lang {
  let hans = 0;
  let hant = 0;
  for (let i = 0; i < text.length; i++) {
    const k = SCRIPT_OF[text.charCodeAt(i)];
    if (k === 1) hans++;
    else if (k === 2) hant++;
  }
  return hant > hans ? 'zh-Hant' : 'zh-Hans';
}
