/**
 * Page chrome: the lines a scraped page carries around a speech (banners, column and
 * publish-date lines, share and print controls, breadcrumbs, paywall notices, captions …).
 * Rules are general, for any Chinese news or government site, not for one page.
 */

export interface ChromeRule {
  name: string;
  test: (line: string) => boolean;
}

const re = (name: string, pattern: RegExp): ChromeRule => ({ name, test: (l) => pattern.test(l) });

/** Short control words that make up a line on their own (分享, 打印, 回到顶部 …). */
const CONTROL_WORDS =
  '分享|分享到|转发|轉發|收藏|点赞|點讚|点击下载|點擊下載|下载|下載|打印|列印|打印本页|打印本頁|关闭|關閉|关闭窗口|關閉窗口|' +
  '回到顶部|回到頂部|返回顶部|返回頂部|返回|返回首页|返回首頁|顶部|TOP|top|置顶|确认删除|確認刪除|删除|刪除|取消|确定|確定|' +
  '复制链接|複製鏈接|复制|評論|评论|写评论|寫評論|举报|舉報|反馈|反饋|纠错|糾錯|听新闻|聽新聞|我要纠错|字号|字號|大|中|小|默认|放大|缩小|朗读|朗讀|' +
  '微信|微博|QQ|QQ空间|扫一扫|掃一掃|二维码|二維碼|客服微信|在线客服|在線客服|联系客服|聯繫客服|登录|登錄|注册|註冊|' +
  '上一页|上一頁|下一页|下一頁|首页|首頁|尾页|尾頁|阅读全文|閱讀全文|展开全文|展開全文|查看全文|收起|更多|加载更多|載入更多|' +
  '相关阅读|相關閱讀|相关新闻|相關新聞|相关推荐|相關推薦|推荐阅读|推薦閱讀|延伸阅读|延伸閱讀|猜你喜欢|猜你喜歡|热门推荐|熱門推薦|' +
  '电脑桌面|電腦桌面|手机版|手機版|网站地图|網站地圖|无障碍|無障礙|English|繁体|繁體|简体|簡體|设为首页|加入收藏|订阅|訂閱|关注|關注|' +
  '相关|相關|提交|重置|搜索|搜尋|必填项|必填項|下载资源|下載資源|资源描述|資源描述|文档简介|文檔簡介|其他语言版本|其他語言版本|语言|語言|' +
  '关于我们|關於我們|联系我们|聯繫我們|網站首頁|网站首页|网站声明|網站聲明|隐私政策|隱私政策|法律声明|法律聲明|使用帮助|使用幫助|意见反馈|意見反饋|' +
  '返回列表|返回上一页|返回上一頁|网站导航|網站導航|广告服务|廣告服務|加入我们|加入我們|' +
  '点击查看更多|點擊查看更多|查看更多|跳过导航|跳過導航|跳到主要内容区|跳到主要內容區|跳到主要内容|跳到主要內容|跳至主要内容|跳至主要內容|跳到内容|跳到內容';

const CONTROL_LINE = new RegExp(`^(?:[•·●▪■□◆◇▶►>»\\-*|【\\[]\\s*)?(?:(?:${CONTROL_WORDS})[\\s:：|/｜、】\\]?？!！>»]*)+$`, 'u');

/** Record fields of a page (上传人：… 文档编号：… 时间：… 来源：… 点击：…): two or more on one line. */
const FIELD_KEYS =
  '上传人|上傳人|上传者|上傳者|上传时间|上傳時間|文档编号|文檔編號|格式|页数|頁數|大小|时间|時間|日期|来源|來源|作者|点击|點擊|浏览|瀏覽|' +
  '阅读|閱讀|编辑|編輯|发布|發佈|發布|栏目|欄目|分类|分類|发起人|發起人|回复数|回覆數|浏览数|瀏覽數|最后更新|最後更新|评论|評論|字数|字數|下载|下載|热度|熱度|' +
  '索引号|索引號|发文机关|發文機關|发布机构|發布機構|成文日期|发布日期|發布日期|主题分类|主題分類|文号|文號|所属机构|所屬機構|公开方式|公開方式|有效性';
const RECORD_FIELD = new RegExp(`(?:^|\\s)(?:${FIELD_KEYS})\\s*[:：]`, 'gu');

function isRecordLine(line: string): boolean {
  if (/[。！？]/u.test(line)) return false;
  return (line.match(RECORD_FIELD)?.length ?? 0) >= 2;
}

export const CHROME_RULES: ChromeRule[] = [
  re('control', CONTROL_LINE),
  { name: 'record fields', test: isRecordLine },
  // A web timestamp as the value of a date field: 时间:2022-05-11 11:04:00.
  re('record fields', /^(时间|時間|日期)\s*[:：]\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}/u),
  // A web date as a field among a few words: 致辞 时间:2021-08-31 手机版.
  re('record fields', /^[^。！？]{0,20}(时间|時間|日期)\s*[:：]\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[^。！？]{0,20}$/u),
  // A navigation menu: three or more short items between bars (首頁 | 典禮程序 | 交通資訊).
  re('navigation menu', /^[^。！？，,|｜]{1,10}(\s*[|｜]\s*[^。！？，,|｜]{1,10}){2,}$/u),
  // A related-link banner framed by arrows or stars: ↓↓更多关于“毕业”内容推荐↓↓, ★毕业致辞大气简短★.
  re('link banner', /^[↓↑★☆▼]{1,3}[^。！？]{1,30}[↓↑★☆▼]{1,3}$/u),
  // A site greeting its visitors: 欢迎来到…网!, 歡迎光臨本站.
  re('site greeting', /^(欢迎|歡迎)(来到|來到|光临|光臨|访问|訪問|进入|進入)[^。，,]{1,20}[!！。]?$/u),
  // A line opening with a numeric web date, then a few words and no sentence: 2021-02-20 佤邦之音, • 2024-05-03 任职讲话 248.
  re('dated record', /^[•·\-*\s]*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s|[|｜]|$)[^。，,！？!?]{0,50}$/u),
  // A file name, alone or in a document-sharing site's caption: 秘书长讲话.docx_第1页, 《….docx》由会员分享.
  re('file name', /[^\s.]\.(?:docx?|pdf|pptx?|xlsx?|wps|txt|rtf)(?![A-Za-z])/iu),
  // Notices of document-sharing and 范文 sites about themselves, uploads, downloads and hidden text.
  re('site notice', /(本站|本網站|本网站|本平台|网友上传|網友上傳|会员分享|會員分享|咨询客服|諮詢客服|联系客服|聯繫客服|下载文档|下載文檔|下载全文|下載全文|此处隐藏|此處隱藏|侵权|侵權|联系删除|聯繫刪除|原创文章|原創文章)/u),
  re('feedback form', /^(此页面|此頁面|本页面|本頁面|该页面|該頁面|页面|頁面|网页|網頁)[^。]{0,12}[?？]$|^\*\s*(必填|必選|必选)/u),
  // Forum chrome: [楼主] name date, 发表于 ….
  re('forum post header', /^[\[【](楼主|樓主|沙发|沙發|板凳|地板|\d+\s*[楼樓#])[\]】]/u),
  // A number alone (an article id, a like or view count) or punctuation alone.
  re('number alone', /^[#＃]?\d+$/u),
  re('ornament', /^[|｜*#＃=~_•●■□◆◇★☆\s]+$/u),
  // An uploader's or columnist's byline after a separator: | 小龙.
  re('byline', /^[|｜]\s*\S{1,12}$/u),
  re('font-size control', /^(字体|字體|字号|字號)(大小)?\s*[:：]?$/u),
  // A machine-written text's leftover reply to its user: 希望能满足您的期待。
  re('assistant reply', /(这篇|這篇|本篇|这份|這份|以上|上述)[^。]{0,20}(内容|內容|讲话稿|講話稿|发言稿|發言稿|演讲稿|演講稿|致辞|致詞|稿子|文章)[^。]{0,30}(您|你)/u),
  // A bracketed note about the pictures: (以上图片均为采访现场).
  re('photo caption', /^[（(][^（）()]{0,20}(图片|圖片|照片|图为|圖為|摄影|攝影)[^（）()]{0,20}[）)]$/u),
  re('pager', /^(?=.*[页頁])(?:(?:上一页|上一頁|下一页|下一頁|首页|首頁|尾页|尾頁|末页|末頁|共\s*\d+\s*[页頁]|第\s*\d+\s*[页頁]|\d+|…|\.\.\.|[<>«»]+)[\s|｜]*)+$/u),
  re('counter', /(浏览|瀏覽|阅读|閱讀|点击|點擊|访问|訪問|播放)(量|数|數|次数|次數)?\s*[:：]?\s*\d+/u),
  re('publish line', /(发布|發佈|發布|发表|發表|更新)(时间|時間|日期)?\s*[:：]\s*\S*\d/u),
  re('column line', /^(栏目|欄目|频道|頻道|分类|分類|专栏|專欄)\s*[:：]/u),
  re('source line', /^[【\[（(]?(来源|來源|作者|编辑|編輯|责任编辑|責任編輯|责编|責編|审核|審核|校对|校對|记者|記者|通讯员|通訊員|出处|出處|稿源|供稿)\s*[:：]/u),
  re('editor line', /^[【\[（(](责任编辑|責任編輯|编辑|編輯|责编|責編|审核|審核|校对|校對)[:：].*[】\]）)]$/u),
  // 当前位置：, 您的当前位置：, 你现在所在的位置：
  re('breadcrumb', /^(?:您|你)?(?:的)?(?:当前|當前|现在|現在|目前)?(?:所在)?(?:的)?位置\s*[:：]/u),
  re('breadcrumb', /^[^。！？，]{0,40}(\s*[>＞»›→]\s*[^。！？，>＞»›→]{1,16}){2,}$/u),
  re('font-size control', /(字号|字號|字体|字體)\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小/u),
  re('print control', /^[【\[]\s*(打印|列印|关闭|關閉|收藏|纠错|糾錯|分享|大|中|小)\s*[】\]](\s*[【\[]\s*\S{1,6}\s*[】\]])*$/u),
  re('print control', /^([【\[]\s*[^【】[\]]{1,6}\s*[】\]]\s*){2,}$/u),
  re('app promotion', /^(扫一扫|掃一掃|扫码|掃碼|长按|長按).{0,16}(手机|手機|阅读|閱讀|打开|打開|关注|關注|下载|下載|识别|識別)/u),
  re('share control', /^(分享到|分享至|转发到|轉發到|分享)\s*[:：]/u),
  re('copyright', /(版权所有|版權所有|Copyright|©|ICP备|ICP備|ICP证|公网安备|公網安備|网站标识码|網站標識碼|主办单位|主辦單位|承办单位|承辦單位)/iu),
  // Record fields of a government notice stand alone too: 索引号：000014349/2024-00012.
  re('record fields', /^(索引号|索引號|发文机关|發文機關|发布机构|發布機構|成文日期|主题分类|主題分類|文号|文號|所属机构|所屬機構|公开方式|公開方式|公开范围|公開範圍|有效性)\s*[:：]/u),
  // Style rules of a document converted from Word or OpenOffice: @page { margin: 2cm }, p { line-height: 120% }.
  re('style rules', /^(?:@page|@font-face|<!--|-->)|^[\w.#:\s,-]{0,40}\{[^{}]*[a-z-]+\s*:[^{}]*\}?$|^(?:[a-z-]{3,}\s*:\s*[^;:]{1,60};\s*){2,}$/iu),
  // A document site's preview that stops: 预览已结束, 还剩5页未读, 本文共3200字, 展开全文.
  re('preview notice', /(预览已结束|預覽已結束|预览结束|預覽結束|试读结束|試讀結束|还剩\s*\d+\s*页|還剩\s*\d+\s*頁|未读完|未讀完|继续阅读|繼續閱讀|全文共\s*\d+\s*字|本文共\s*\d+\s*字|剩余\s*\d+\s*字|剩餘\s*\d+\s*字|已阅读到文档的结尾|已閱讀到文檔的結尾)/u),
  // Ghost-writing and contact advertisements.
  re('contact ad', /(代写|代寫|写作服务|寫作服務|QQ\s*[:：号號]?\s*\d{5,}|微信号?\s*[:：]\s*[A-Za-z0-9_-]{5,}|咨询电话|諮詢電話|联系电话|聯繫電話)/iu),
  // A wiki page about its own work: 姊妹计划, 本作品在全世界都属于公有领域.
  re('wiki notice', /(维基|維基|Wikisource|Wikipedia|公有领域|公有領域|姊妹计划|姊妹計劃|本作品在|此作品在|本作品采用|本作品採用|本条目|本條目)/iu),
  // An arrow link to the previous or next text: ← 在全省经济工作会议上的讲话.
  re('prev/next link', /^[←→«»‹›⇐⇒]\s*\S.{0,60}$|^.{1,60}\s*[→»›⇒]$/u),
  re('paywall', /(剩余\s*\d+\s*%|剩餘\s*\d+\s*%|开通会员|開通會員|付费阅读|付費閱讀|订阅后|訂閱後|登录后|登錄後|登入後|试读|試讀|免费试看|VIP|解锁全文|解鎖全文|开通VIP|会员专享|會員專享|本文为付费|阅读剩余|閱讀剩餘)/u),
  re('app promotion', /(下载客户端|下載客戶端|打开APP|打開APP|APP内|APP內|扫码下载|掃碼下載|添加.{0,12}到(电脑)?桌面|安装后可以|安裝後可以|快捷访问|快捷訪問)/iu),
  re('photo caption', /^(图为|圖為|图片|圖片|摄影|攝影|图\s*[:：]|圖\s*[:：])/u),
  // ▲ marks a caption, unless a speaker label follows it (▲记者：…？ opens a question).
  re('photo caption', /^[▲△↑](?!\s*[^：:，。]{1,16}[：:])/u),
  re('photo credit', /(记者|記者|通讯员|通訊員)?\s*[\p{Script=Han}]{2,4}\s*(摄|攝)\s*[）)]?$/u),
  re('photo credit', /^[（(]?(图片来源|圖片來源|图源|圖源|配图|配圖)\s*[:：]/u),
  re('related list', /^(相关阅读|相關閱讀|相关新闻|相關新聞|相关文章|相關文章|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|往期回顾|往期回顧)\s*[:：]?/u),
  re('prev/next link', /^(上一篇|下一篇|上一条|下一條|上一條|下一条)\s*[:：]?/u),
  re('url', /^(https?:\/\/|www\.)\S+$/u),
  re('timestamp line', /^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*(\d{1,2}:\d{2}(:\d{2})?)(\s|$)/u),
  re('timestamp line', /^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*(\d{1,2}:\d{2}(:\d{2})?)?\s*(来源|來源|作者|编辑|編輯|浏览|瀏覽|阅读|閱讀)[：:]/u),
  re('wechat header', /^原创\s|发表于\S{0,8}$|發表於\S{0,8}$|^(微信号|微信號|功能介绍|功能介紹)[：:\s]/u),
  re('wechat footer', /^(END|—\s*END\s*—|-\s*END\s*-|预览时标签不可点|預覽時標籤不可點|阅读原文|閱讀原文|在看|点赞|點讚|写留言|寫留言|留言|赞赏|讚賞|喜欢此内容的人还喜欢|往期推荐|往期推薦|点击蓝字关注我们|點擊藍字關注我們|长按二维码关注|長按二維碼關注)$/iu),
  re('repost line', /^(原标题|原標題|本文来源|本文來源|转载自|轉載自|本文转自|本文轉自)[：:]/u),
  re('disclaimer', /^[【\[]?(声明|聲明|免责声明|免責聲明|版权声明|版權聲明|特别声明|特別聲明)[】\]]?[：:]/u),
  re('news end', /^[（(](完|完\s*[）)]|全文完|记者\s*\S{2,4})[）)]$/u),
  re('media notice', /(视频加载中|視頻加載中|您的浏览器不支持|您的瀏覽器不支持|点击图片进入|點擊圖片進入|点击查看大图|點擊查看大圖|查看原图|查看原圖)/u),
  re('comments', /^(网友评论|網友評論|发表评论|發表評論|共有\s*\d+\s*条评论|共\s*\d+\s*条评论|评论\s*\d+|已有\s*\d+\s*人参与)/u),
  re('more link', /^返回\S{0,6}[，,]\s*查看更多$/u),
  re('attachment', /^(附件下载|附件下載|相关附件|相關附件)[：:]?|^附件\s*\d*[：:.、]?\s*\S*\.(docx?|pdf|xlsx?|wps|zip|rar)$/iu),
  re('folio', /^[-—–－]\s*\d{1,4}\s*[-—–－]$|^第\s*\d+\s*[页頁](\s*[，,/／]?\s*共\s*\d+\s*[页頁])?$|^\d{1,4}\s*\/\s*\d{1,4}$/u),
  re('tag line', /^(标签|標籤|关键词|關鍵詞|关键字|關鍵字|TAG|Tags?)\s*[:：]/iu),
];

/** 下面是小编为大家整理的…, 今天公文小编收集整理了…: a site's editor presenting what follows. */
const EDITOR_INTRO = /(小编|小編)(?![辑輯])[^。！？!?]{0,12}(整理|收集|精选|精選|带来|帶來|分享|推荐|推薦|为大家|為大家|给大家|給大家|为您|為您)/u;

/** The rule that says `line` is page chrome, or undefined. */
export function chromeRule(line: string): string | undefined {
  const t = line.trim();
  // A 范文 site's editor introducing the texts (以下是小编收集整理的…) can run long.
  if (t.length <= 200 && EDITOR_INTRO.test(t)) return 'editor intro';
  // Chrome is short; a long line is text even when it mentions 阅读 or 版权.
  if (!t || t.length > 100) return undefined;
  for (const r of CHROME_RULES) if (r.test(t)) return r.name;
  return undefined;
}

/** Lines after which a page has no more speech: related links, prev/next, copyright. */
export function isEndMarker(line: string): boolean {
  return /^(END$|—\s*END\s*—|往期推荐|往期推薦|相关阅读|相關閱讀|相关新闻|相關新聞|相关文章|相關文章|相关推荐|相關推薦|推荐阅读|推薦閱讀|延伸阅读|延伸閱讀|猜你喜欢|猜你喜歡|热门推荐|熱門推薦|往期回顾|往期回顧|上一篇|下一篇|版权所有|版權所有|Copyright|[【\[（(]?(责任编辑|責任編輯|责编|責編))/iu.test(
    line.trim(),
  );
}

/**
 * A news report's line that hands over to the speech: ……讲话全文如下：, 以下为……致辞全文：,
 * 以下是……演讲全文（……翻译）：. It ends with a colon and announces what follows.
 */
export function isHandOver(line: string): boolean {
  const t = line.trim().replace(/\s*[（(][^（）()]{1,24}[）)]\s*(?=[：:。]?$)/u, '');
  if (t.length > 160) return false;
  if (/(全文如下|原文如下|讲话如下|講話如下|摘要如下|摘登如下|内容如下|內容如下|實錄如下|实录如下|致辞如下|致詞如下|发言如下|發言如下)[：:。]?$/u.test(t)) return true;
  // A lead's last sentence may hand over too: 中新网11月12日电 …发表演讲。以下为温家宝讲话全文：
  const lastSentence = t.split(/(?<=[。！？])/u).pop()!.trim();
  return /^(以下|下面|下文|现将|現將)[^。！？]{0,80}(全文|原文|讲话|講話|致辞|致詞|演说|演說|演讲|演講|发言|發言|实录|實錄|贺词|賀詞|讲稿|講稿)[：:]$/u.test(lastSentence);
}
