/**
 * Readings pinyin-pro 3.29 gets wrong in words a speech is likely to hold (checked one by one
 * against 《现代汉语词典》): 当好 (be a good …) read dāng, titles in 长 read zhǎng, 还 as "give back" read huán, 种 as
 * "plant" read zhòng, and compound surnames and place names. Applied only where the word is
 * a word of the text (jieba's boundaries), never across two words (格局|长期 keeps cháng).
 * An editor's `ruby:` rule wins over these.
 */
export const BUILT_IN_READINGS: Readonly<Record<string, string>> = {
  局长: 'jú zhǎng',
  处长: 'chù zhǎng',
  所长: 'suǒ zhǎng',
  署长: 'shǔ zhǎng',
  馆长: 'guǎn zhǎng',
  乡长: 'xiāng zhǎng',
  旅长: 'lǚ zhǎng',
  船长: 'chuán zhǎng',
  警长: 'jǐng zhǎng',
  审计长: 'shěn jì zhǎng',
  理事长: 'lǐ shì zhǎng',
  委员长: 'wěi yuán zhǎng',
  秘书长: 'mì shū zhǎng',
  当好: 'dāng hǎo',
  // 在……上当好排头兵: jieba reads 上当 (be fooled) here, so the phrase is listed whole.
  上当好: 'shàng dāng hǎo',
  还钱: 'huán qián',
  还款: 'huán kuǎn',
  还贷: 'huán dài',
  还给: 'huán gěi',
  种植: 'zhòng zhí',
  种田: 'zhòng tián',
  种粮: 'zhòng liáng',
  种草: 'zhòng cǎo',
  尉迟: 'yù chí',
  万俟: 'mò qí',
  乐清: 'yuè qīng',
  乐亭: 'lào tíng',
};
