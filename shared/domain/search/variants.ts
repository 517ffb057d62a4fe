/**
 * Traditional → simplified characters, for search only (a query typed in traditional characters
 * finds a letter written in simplified ones, and the reverse). A small table of the characters
 * that occur in petitions, names, places and the office's vocabulary — not a full conversion
 * (that needs OpenCC's phrase tables; see docs/search.md). One character maps to one character,
 * so a position in the normalised text is the same position in the original.
 *
 * Each pair is written traditional then simplified; the table is checked by
 * test/unit/search/text.test.ts (no character maps to itself, none twice).
 */
const PAIRS =
  '萬万與与東东絲丝兩两嚴严喪丧個个豐丰臨临為为麗丽舉举義义烏乌樂乐喬乔習习鄉乡書书買买亂乱爭争於于虧亏雲云亞亚產产畝亩親亲億亿僅仅從从侖仑倉仓儀仪們们價价眾众優优夥伙會会傘伞偉伟傳传傷伤倫伦偽伪體体餘余傭佣僉佥俠侠侶侣僥侥偵侦側侧僑侨儈侩儂侬俁俣係系儔俦儼俨倆俩儷俪儉俭債债傾倾傯偬僂偻僨偾償偿儻傥儐傧儲储儺傩' +
  '兒儿兌兑黨党蘭兰關关興兴養养獸兽內内岡冈冊册寫写軍军農农馮冯衝冲決决況况凍冻淨净涼凉減减湊凑凜凛幾几鳳凤憑凭凱凯擊击鑿凿芻刍劃划劉刘則则剛刚創创刪删別别剎刹劑剂剮剐劍剑劇剧勸劝辦办務务動动勵励勁劲勞劳勢势勳勋勻匀區区醫医華华協协單单賣卖盧卢衛卫卻却廠厂廳厅曆历厲厉壓压厭厌廁厕廂厢廈厦廚厨縣县參参雙双變变敘叙疊叠' +
  '號号嘆叹後后嚇吓呂吕嗎吗噸吨聽听啟启吳吴員员嗚呜響响問问啞哑喚唤喪丧囑嘱嚨咙園园圍围圖图團团國国聖圣場场壞坏塊块堅坚壇坛壩坝墳坟墜坠壘垒執执報报堯尧牆墙壯壮聲声殼壳處处備备復复夠够頭头誇夸夾夹奪夺奮奋獎奖婦妇媽妈嫵妩姦奸孫孙學学寧宁寶宝實实審审憲宪寬宽賓宾寢寝對对尋寻導导將将爾尔塵尘嘗尝層层屬属歲岁島岛嶺岭崗岗' +
  '幣币帥帅師师帳帐帶带幫帮幹干幾几廣广庫库應应廟庙開开異异彈弹彌弥歸归當当錄录彥彦徹彻徑径徵征憶忆懷怀態态總总戀恋惡恶悶闷惱恼愛爱慣惯憤愤懇恳慮虑憂忧懲惩戰战戲戏戶户擴扩執执擁拥擇择撥拨掃扫揚扬換换搶抢擔担據据擬拟擠挤擺摆攝摄撐撑撫抚擾扰攤摊撲扑揀拣撿捡擋挡擊击' +
  '數数敵敌斂敛斷断時时晝昼曉晓暫暂曬晒術术機机雜杂權权條条來来楊杨極极構构槍枪樣样標标樓楼橋桥檢检欄栏殘残殺杀氣气湯汤溝沟滅灭漢汉滿满潔洁災灾燈灯熱热愛爱爺爷牽牵狀状獨独獲获環环現现瑣琐電电畫画當当癥症發发盡尽監监蓋盖盤盘眾众睜睁礦矿碼码確确禮礼禍祸離离種种積积稱称穩稳窮穷竊窃競竞筆笔築筑簡简' +
  '糧粮緊紧紅红約约級级紀纪純纯紙纸納纳紛纷組组細细終终經经結结給给絕绝統统絡络繼继續续維维綜综網网線线練练縣县績绩總总織织繳缴罰罚罷罢職职聯联聰聪腦脑膚肤脅胁腳脚臉脸興兴舊旧艱艰藝艺節节範范薦荐莊庄葉叶蘇苏藥药蟲虫補补裝装製制見见規规視视覽览覺觉觀观計计訂订認认討讨讓让訓训議议記记講讲許许論论設设訪访證证評评識识訴诉診诊詞词試试誠诚話话該该詳详誤误說说請请諸诸課课談谈調调謝谢謠谣謹谨讀读變变' +
  '貝贝負负財财責责貧贫貨货販贩貪贪購购貫贯貼贴貴贵費费貸贷賀贺資资賊贼賠赔賬账賴赖贈赠趕赶趙赵躍跃車车軌轨轉转輪轮軟软輕轻較较載载輔辅輸输轄辖辭辞邊边遷迁過过運运還还這这進进遠远違违連连遲迟選选遺遗鄭郑鄰邻醜丑釋释針针鐵铁鎮镇錢钱鋼钢錯错鍋锅鏈链鎖锁鐘钟門门閉闭問问閒闲間间閱阅闖闯陽阳陰阴陣阵陳陈際际陸陆隊队險险隨随隱隐難难雞鸡離离' +
  '電电霧雾靜静響响頁页順顺須须預预領领頗颇頻频題题額额顏颜願愿顧顾類类風风飛飞飯饭飲饮餓饿館馆馬马駕驾驗验驚惊騙骗體体鬥斗鬧闹魚鱼鳥鸟鹽盐麥麦黃黄點点齊齐齒齿龍龙龜龟壓压園园鎊镑灣湾屆届倖幸曬晒釐厘臺台颱台瀋沈醃腌週周锺钟鍾钟讎仇' +
  '張张劉刘陳陈楊杨黃黄趙赵吳吴孫孙馬马鄧邓蕭萧葉叶範范韓韩馮冯蔣蒋龐庞魯鲁錢钱湯汤薛薛譚谭鄒邹閻阎賈贾鍾钟盧卢饒饶聶聂賴赖龔龚鄔邬衛卫蘆芦鄺邝鄔邬顏颜';

function buildTable(): ReadonlyMap<string, string> {
  const table = new Map<string, string>();
  const chars = [...PAIRS];
  for (let i = 0; i + 1 < chars.length; i += 2) {
    const from = chars[i] as string;
    const to = chars[i + 1] as string;
    if (from !== to) table.set(from, to);
  }
  return table;
}

/** The traditional character → its simplified form (characters not in the table are absent). */
export const TRADITIONAL_TO_SIMPLIFIED: ReadonlyMap<string, string> = buildTable();
