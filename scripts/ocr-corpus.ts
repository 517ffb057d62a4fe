/**
 * Generates the OCR test set (test/fixtures/ocr): invented 信访 letters printed in Song, Hei and
 * Kai typefaces, then "scanned" with the faults real scans have (skew, speckle, photocopy blur and
 * contrast, low JPEG quality, grey paper, black-and-white mode), saved as PNG, JPEG, two-page PDFs
 * (page images embedded, as a scanner writes them) and a multi-page TIFF, each with its ground
 * truth `<name>.gt.txt` (the exact printed text, lines as printed; pages separated by a line holding
 * a form feed) and the manifest (scripts/ocr-corpus-manifest.ts).
 *
 *   npm run ocr:corpus [-- --out <dir>]
 *
 * Deterministic: every random choice comes from a PRNG seeded by the file's name, so a file does
 * not change when another is added. The generated files are committed, so tests and
 * `npm run ocr:compare` need none of the fonts. To regenerate, the fonts must be present:
 *   - Song: Noto Serif SC (npm @expo-google-fonts/noto-serif-sc, a project dependency);
 *   - Hei: WenQuanYi Zen Hei (Debian `fonts-wqy-zenhei`);
 *   - Kai: AR PL UKai (Debian `fonts-arphic-ukai`).
 * Pixels may differ slightly with another @napi-rs/canvas (Skia) version; the truths do not.
 * Every person, address, number and company in the letters is invented.
 */
import { mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { GlobalFonts, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import {
  OCR_CORPUS_DIR,
  OcrCorpusManifestSchema,
  PAGE_SEPARATOR,
  truthFileName,
  type OcrCorpusFile,
  type OcrCorpusManifest,
  type OcrCorpusPage,
} from './ocr-corpus-manifest';

// ---------------------------------------------------------------------------------------------
// Fonts

const FONTS = {
  song: { path: 'node_modules/@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf', family: 'CorpusSong' },
  hei: { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'CorpusHei' },
  kai: { path: '/usr/share/fonts/truetype/arphic/ukai.ttc', family: 'CorpusKai' },
} as const;
type Typeface = keyof typeof FONTS;

function registerFonts(): void {
  for (const [name, font] of Object.entries(FONTS)) {
    if (!existsSync(font.path)) {
      throw new Error(`font for ${name} missing: ${font.path} (see the header of scripts/ocr-corpus.ts)`);
    }
    GlobalFonts.registerFromPath(font.path, font.family);
  }
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

type Random = () => number;

/** mulberry32, seeded by a string's FNV-1a hash. */
function seeded(seed: string): Random {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function digits(random: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(int(random, 0, 9));
  return s;
}

// ---------------------------------------------------------------------------------------------
// Letter text (invented people, places and companies)

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = [
  '建国',
  '秀英',
  '桂兰',
  '志强',
  '海燕',
  '德明',
  '玉珍',
  '春生',
  '晓东',
  '丽华',
  '长富',
  '金凤',
  '永红',
  '国庆',
  '淑芬',
  '文斌',
  '小芳',
  '明亮',
  '翠花',
  '振华',
];
const COUNTIES = ['青石县', '临河区', '东坪县', '北塘区', '安溪县', '松岭县'];
const TOWNS = ['白沙镇', '柳林乡', '河口镇', '新集镇', '石桥乡', '梅园街道'];
const VILLAGES = ['前进村', '杨庄村', '红星社区', '上湾村', '李家坪村', '和平社区'];
const ROADS = ['建设路', '人民东路', '解放南街', '滨江路', '光明巷', '文化路'];
const COMPANIES = ['江川市宏远建筑工程有限公司', '青石县鑫达服装厂', '临河区顺发物流有限公司', '东坪县利民食品加工厂', '北塘区金桥装饰有限公司'];
const ESTATES = ['锦绣花园', '阳光新城', '翠湖小区', '金色家园', '枫林苑'];
const OFFICES = ['江川市信访局', '青石县人民政府信访办公室', '临河区信访局', '江川市人力资源和社会保障局'];

interface Person {
  name: string;
  id: string;
  phone: string;
  address: string;
  county: string;
  town: string;
  village: string;
}

function person(random: Random): Person {
  const county = pick(random, COUNTIES);
  const town = pick(random, TOWNS);
  const village = pick(random, VILLAGES);
  const year = int(random, 1948, 1992);
  const id = `${int(random, 110000, 659999)}${year}${String(int(random, 1, 12)).padStart(2, '0')}${String(int(random, 1, 28)).padStart(2, '0')}${digits(random, 3)}${random() < 0.15 ? 'X' : digits(random, 1)}`;
  return {
    name: pick(random, SURNAMES) + pick(random, GIVEN),
    id,
    phone: `1${pick(random, ['3', '5', '7', '8', '9'])}${digits(random, 9)}`,
    address: `${county}${town}${village}${int(random, 1, 12)}组${int(random, 1, 98)}号`,
    county,
    town,
    village,
  };
}

function date(random: Random, year: number): string {
  return `${year}年${int(random, 1, 12)}月${int(random, 1, 28)}日`;
}

interface Letter {
  title: string;
  addressee: string;
  paragraphs: string[];
  closing: string[];
  signature: string[];
}

type Topic = (random: Random, p: Person) => { title: string; paragraphs: string[] };

const TOPICS: Record<string, Topic> = {
  wages: (random, p) => {
    const company = pick(random, COMPANIES);
    const amount = int(random, 8, 96) * 1000 + int(random, 0, 9) * 100;
    const workers = int(random, 6, 40);
    return {
      title: '关于拖欠农民工工资问题的反映',
      paragraphs: [
        `我叫${p.name}，是${p.county}${p.town}${p.village}村民。${date(random, 2025)}起，我和同村${workers}名工友在${company}承建的${pick(random, ESTATES)}No.${int(random, 2, 18)}号楼工地做木工和钢筋工，约定每月${int(random, 5, 9)}日发放上月工资。`,
        `工程已于${date(random, 2026)}完工验收，但公司至今拖欠我个人工资${amount}元，全体工友共计被拖欠${amount * workers}元。我们多次找到项目负责人${pick(random, SURNAMES)}经理，他先说甲方没有拨款，后来干脆不接电话，还把我们的WeChat全部拉黑。`,
        `${date(random, 2026)}，我们到${p.county}劳动保障监察大队投诉，工作人员登记后答复会尽快处理，但两个多月过去了没有任何结果。快到年底了，家里老人看病、孩子上学都等着用钱，大家实在没有办法。`,
        '恳请领导高度重视，责成有关部门督促该公司尽快足额支付拖欠的工资，维护我们农民工的合法权益。',
      ],
    };
  },
  land: (random, p) => {
    const mu = (int(random, 12, 68) / 10).toFixed(1);
    const per = int(random, 28, 62) * 1000;
    return {
      title: '关于土地征收补偿款未足额发放的申诉',
      paragraphs: [
        `本人${p.name}，身份证号${p.id}，户籍在${p.address}。${date(random, 2024)}，因修建${pick(random, ['县道改扩建工程', '工业园区道路', '高速公路连接线'])}，我家承包的${mu}亩耕地被征收。`,
        `按照当时公示的补偿标准，每亩土地补偿费和安置补助费合计${per}元，青苗和地上附着物另行补偿。但实际发放到我手上的只有应得金额的一半左右，村委会一直说剩下的钱“还在走程序”。`,
        `我先后三次到${p.town}人民政府反映，也向村委会书面申请公开补偿款的发放明细，至今没有得到答复。听说同一批被征地的其他农户已经领到了全部补偿款，我不明白为什么只有我家没有。`,
        '请求：一、公开本村征地补偿款的收支明细；二、依法足额发放我家的补偿款及利息；三、查明是否存在截留、挪用补偿款的问题。',
      ],
    };
  },
  housing: (random, p) => {
    const estate = pick(random, ESTATES);
    const building = int(random, 1, 24);
    const room = `${int(random, 1, 28)}0${int(random, 1, 4)}`;
    return {
      title: '关于商品房长期漏水无人维修的投诉',
      paragraphs: [
        `我是${pick(random, ROADS)}${estate}${building}栋${room}室的业主${p.name}。我于${date(random, 2023)}购买该房屋，交房不到一年，卫生间和北面外墙就开始渗水，墙皮大面积脱落，地板也被泡坏。`,
        `我多次向开发商和物业服务中心报修，物业登记的维修单号是No.${digits(random, 6)}，可维修人员来看过两次，只是简单涂了防水胶，下雨后照样漏水。开发商说已过保修期，但房屋防水工程的保修期明明是五年。`,
        `今年雨季以来漏水越来越严重，楼下住户也被殃及，邻里之间因此发生矛盾。我还拨打过12345市民热线，工单转给${p.county}住房和城乡建设局后没有下文。`,
        '恳请有关部门依法督促开发商履行保修责任，彻底修复漏水问题，并赔偿我家因此造成的损失。',
      ],
    };
  },
  pension: (random, p) => {
    const years = int(random, 15, 34);
    return {
      title: '关于养老保险缴费年限认定问题的请求',
      paragraphs: [
        `我叫${p.name}，今年${int(random, 58, 66)}岁，原是${p.county}国营${pick(random, ['农机修造厂', '针织厂', '粮油加工厂', '水泥厂'])}的职工，${int(random, 1976, 1990)}年参加工作，企业改制后下岗，此后一直以灵活就业人员身份自己缴纳养老保险。`,
        `去年我到社保经办窗口办理退休手续时，工作人员说我的档案中缺少${int(random, 1980, 1995)}年以前的招工审批表，只能认定缴费年限${years}年，每月养老金比同厂同事少了近${int(random, 4, 9)}00元。`,
        `原单位已经注销，档案当年由主管局统一保管，材料丢失不是我个人的责任。我保存有当年的工作证、工资条和工会会员证，可以证明连续工龄，工作人员却说这些不能作为依据。`,
        '请求有关部门帮助查找我的原始档案，依据现有材料认定我的视同缴费年限，并按政策重新核定养老金待遇。',
      ],
    };
  },
  noise: (random) => {
    const road = pick(random, ROADS);
    return {
      title: '关于夜间施工噪音扰民的反映',
      paragraphs: [
        `我们是居住在${road}${pick(random, ESTATES)}的居民。小区东侧的工地从${date(random, 2026)}开始施工，几乎每天晚上十点以后还在打桩、搅拌混凝土，有时一直持续到凌晨两三点。`,
        `噪音严重影响了周边几百户居民的休息，老人和孩子整夜睡不着觉，我家小孩今年要参加高考，复习受到很大影响。我们用手机测过，夜间噪音经常超过80分贝。`,
        `我们曾向工地项目部当面反映，也拨打过110和12345热线。执法人员来过之后能安静一两天，随后又恢复夜间施工。工地门口的公示牌上也没有张贴夜间施工许可证。`,
        '恳请生态环境和城市管理部门依法查处，禁止该工地夜间违规施工，还居民一个安静的生活环境。',
      ],
    };
  },
  medical: (random, p) => {
    const bill = int(random, 12, 86) * 1000 + int(random, 0, 999);
    return {
      title: '关于异地就医费用报销问题的求助',
      paragraphs: [
        `本人${p.name}，参加${p.county}城乡居民基本医疗保险，医保卡号${digits(random, 10)}。${date(random, 2025)}，我因突发脑梗在外省务工地住院治疗${int(random, 9, 30)}天，共花费医疗费用${bill}元。`,
        '出院后我按要求准备了住院发票、费用清单、出院小结等材料，回到县医保经办中心申请报销。窗口工作人员说我没有事先办理异地就医备案，只能按最低比例报销，而且还要扣除起付线。',
        `我当时是急诊入院，根本来不及办理备案手续，住院期间家人也打过电话咨询，电话那头说可以事后补办。现在补办却不予认可，我家本来就是低保户，这笔钱对我们来说负担太重了。`,
        `请求按照急诊抢救的相关规定重新审核我的报销申请。我的联系电话${p.phone}，也可以通过WeChat与我联系。`,
      ],
    };
  },
};

function letter(random: Random, topic: string, p: Person): Letter {
  const body = TOPICS[topic]!(random, p);
  return {
    title: body.title,
    addressee: `${pick(random, OFFICES)}：`,
    paragraphs: body.paragraphs,
    closing: ['此致', '敬礼！'],
    signature: [`信访人：${p.name}`, `身份证号：${p.id}`, `联系电话：${p.phone}`, `住址：${p.address}`, date(random, 2026)],
  };
}

// ---------------------------------------------------------------------------------------------
// Printing a page

const A4_MM = { width: 210, height: 297 };

interface PrintSpec {
  typeface: Typeface;
  dpi: number;
  /** Body text size in points. */
  points: number;
}

interface PrintedPage {
  gray: Uint8ClampedArray;
  width: number;
  height: number;
  /** The lines as printed, in reading order. */
  lines: string[];
}

/** Characters that must not begin a line (Chinese line-breaking rules, 避头点). */
const NO_LINE_START = new Set('，。、；：！？）》」』”’,.;:!?)%');

function wrap(ctx: SKRSContext2D, text: string, width: number, firstIndent: number): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = firstIndent;
  // Latin words and numbers are not broken.
  const tokens = text.match(/[A-Za-z0-9.]+|./gu) ?? [];
  for (const token of tokens) {
    const w = ctx.measureText(token).width;
    if (lineWidth + w > width && line !== '' && !NO_LINE_START.has(token)) {
      lines.push(line);
      line = '';
      lineWidth = 0;
    }
    line += token;
    lineWidth += w;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Prints the parts of a letter that fall on this page (`from`/`to` paragraph range). */
function printPage(
  spec: PrintSpec,
  content: { title?: string; addressee?: string; paragraphs: string[]; closing?: string[]; signature?: string[] },
): PrintedPage {
  const px = (mm: number) => Math.round((mm / 25.4) * spec.dpi);
  const width = px(A4_MM.width);
  const height = px(A4_MM.height);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#141414';
  ctx.textBaseline = 'alphabetic';
  const family = FONTS[spec.typeface].family;
  const size = (spec.points / 72) * spec.dpi;
  const left = px(25);
  const right = width - px(25);
  const textWidth = right - left;
  const lineHeight = size * 1.75;
  let y = px(30);
  const lines: string[] = [];
  const draw = (text: string, x: number) => {
    y += lineHeight;
    ctx.fillText(text, x, y);
    lines.push(text);
  };
  if (content.title !== undefined) {
    ctx.font = `${Math.round(size * 1.3)}px ${family}`;
    const w = ctx.measureText(content.title).width;
    y += size * 0.5;
    draw(content.title, left + (textWidth - w) / 2);
    y += size * 0.6;
  }
  ctx.font = `${Math.round(size)}px ${family}`;
  if (content.addressee !== undefined) draw(content.addressee, left);
  const indent = ctx.measureText('中中').width;
  for (const paragraph of content.paragraphs) {
    wrap(ctx, paragraph, textWidth, indent).forEach((line, i) => draw(line, i === 0 ? left + indent : left));
  }
  if (content.closing !== undefined) {
    draw(content.closing[0]!, left + indent);
    draw(content.closing[1]!, left);
  }
  if (content.signature !== undefined) {
    y += lineHeight * 0.5;
    const signatureLeft = left + textWidth * 0.45;
    for (const line of content.signature) draw(line, signatureLeft);
  }
  if (y > height - px(15)) throw new Error(`page overflows: ${lines[0]}`);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const gray = new Uint8ClampedArray(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4]!;
  return { gray, width, height, lines };
}

// ---------------------------------------------------------------------------------------------
// Scanning faults, on 8-bit grey pixels

interface Image {
  gray: Uint8ClampedArray;
  width: number;
  height: number;
}

function rotate(image: Image, degrees: number): Image {
  const { width, height } = image;
  const source = createCanvas(width, height);
  const sctx = source.getContext('2d');
  const data = sctx.createImageData(width, height);
  for (let i = 0; i < image.gray.length; i++) {
    const v = image.gray[i]!;
    data.data[i * 4] = data.data[i * 4 + 1] = data.data[i * 4 + 2] = v;
    data.data[i * 4 + 3] = 255;
  }
  sctx.putImageData(data, 0, 0);
  const target = createCanvas(width, height);
  const ctx = target.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.translate(width / 2, height / 2);
  ctx.rotate((-degrees * Math.PI) / 180);
  ctx.drawImage(source, -width / 2, -height / 2);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const gray = new Uint8ClampedArray(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4]!;
  return { gray, width, height };
}

/** Box blur, `passes` times (three passes approximate a Gaussian). */
function blur(image: Image, radius: number, passes = 3): void {
  const { width, height, gray } = image;
  const tmp = new Float32Array(width * height);
  const buf = Float32Array.from(gray);
  const span = 2 * radius + 1;
  for (let pass = 0; pass < passes; pass++) {
    for (let y = 0; y < height; y++) {
      const row = y * width;
      let sum = 0;
      for (let x = -radius; x <= radius; x++) sum += buf[row + Math.min(width - 1, Math.max(0, x))]!;
      for (let x = 0; x < width; x++) {
        tmp[row + x] = sum / span;
        sum += buf[row + Math.min(width - 1, x + radius + 1)]! - buf[row + Math.max(0, x - radius)]!;
      }
    }
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let y = -radius; y <= radius; y++) sum += tmp[Math.min(height - 1, Math.max(0, y)) * width + x]!;
      for (let y = 0; y < height; y++) {
        buf[y * width + x] = sum / span;
        sum += tmp[Math.min(height - 1, y + radius + 1) * width + x]! - tmp[Math.max(0, y - radius) * width + x]!;
      }
    }
  }
  for (let i = 0; i < gray.length; i++) gray[i] = buf[i]!;
}

/** Dust and dirt: dark specks of 1–3 px, a few larger blots, and white drop-outs in the ink. */
function speckle(image: Image, random: Random, density: number): void {
  const { width, height, gray } = image;
  const specks = Math.round(width * height * density);
  for (let n = 0; n < specks; n++) {
    const cx = int(random, 0, width - 1);
    const cy = int(random, 0, height - 1);
    const r = random() < 0.85 ? 0 : random() < 0.9 ? 1 : 2;
    const value = int(random, 0, 90);
    for (let y = cy - r; y <= cy + r; y++) {
      for (let x = cx - r; x <= cx + r; x++) {
        if (x >= 0 && y >= 0 && x < width && y < height && (x - cx) ** 2 + (y - cy) ** 2 <= r * r + 1) gray[y * width + x] = value;
      }
    }
  }
  // Salt: white points that fall on ink.
  for (let n = 0; n < specks / 2; n++) {
    const i = int(random, 0, gray.length - 1);
    if (gray[i]! < 128) gray[i] = int(random, 200, 255);
  }
}

/** Low-frequency unevenness of the paper: a sum of a few slow waves. */
function paperField(random: Random, width: number, height: number): (x: number, y: number) => number {
  const waves = Array.from({ length: 4 }, () => ({
    fx: (random() * 3 + 0.5) / width,
    fy: (random() * 3 + 0.5) / height,
    phase: random() * Math.PI * 2,
    amp: random() * 0.5 + 0.5,
  }));
  const total = waves.reduce((s, w) => s + w.amp, 0);
  return (x, y) => waves.reduce((s, w) => s + w.amp * Math.sin(2 * Math.PI * (w.fx * x + w.fy * y) + w.phase), 0) / total;
}

/** Grey, uneven recycled paper with a fine grain; the ink stays dark. */
function greyPaper(image: Image, random: Random, level: number): void {
  const { width, height, gray } = image;
  const field = paperField(random, width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const paper = level + 14 * field(x, y) + (random() - 0.5) * 16;
      gray[i] = (gray[i]! / 255) * paper;
    }
  }
}

/** A photocopy: toner grey instead of black, paper not white, uneven, a dark shadow at one edge. */
function photocopy(image: Image, random: Random, contrast: { ink: number; paper: number }): void {
  const { width, height, gray } = image;
  const field = paperField(random, width, height);
  const shadow = Math.round(width * 0.03);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const paper = contrast.paper + 10 * field(x, y);
      const t = gray[i]! / 255;
      let v = contrast.ink + (paper - contrast.ink) * t + (random() - 0.5) * 10;
      if (x < shadow) v *= 0.35 + (0.65 * x) / shadow;
      gray[i] = v;
    }
  }
}

/** Black-and-white scanner mode: a fixed threshold. */
function threshold(image: Image, level: number): void {
  for (let i = 0; i < image.gray.length; i++) image.gray[i] = image.gray[i]! < level ? 0 : 255;
}

// ---------------------------------------------------------------------------------------------
// Encoders

function grayToCanvas(image: Image) {
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  const data = ctx.createImageData(image.width, image.height);
  for (let i = 0; i < image.gray.length; i++) {
    const v = image.gray[i]!;
    data.data[i * 4] = data.data[i * 4 + 1] = data.data[i * 4 + 2] = v;
    data.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(data, 0, 0);
  return canvas;
}

function jpeg(image: Image, quality: number): Uint8Array {
  return grayToCanvas(image).toBuffer('image/jpeg', Math.round(quality * 100));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit greyscale PNG (a third of what the canvas's RGBA PNG takes), with its resolution. */
function png(image: Image, dpi: number): Uint8Array {
  const { width, height, gray } = image;
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 2; // filter "up"
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      raw[y * (width + 1) + 1 + x] = (gray[i]! - (y > 0 ? gray[i - width]! : 0)) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const phys = Buffer.alloc(9);
  const ppm = Math.round(dpi / 0.0254);
  phys.writeUInt32BE(ppm, 0);
  phys.writeUInt32BE(ppm, 4);
  phys[8] = 1;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('pHYs', phys),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', new Uint8Array()),
  ]);
}

/** Packs a thresholded image into 1 bit per pixel, 1 = black (TIFF WhiteIsZero). */
function packBits1(image: Image): Uint8Array {
  const rowBytes = Math.ceil(image.width / 8);
  const out = new Uint8Array(rowBytes * image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.gray[y * image.width + x]! < 128) out[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/**
 * A multi-page TIFF as a black-and-white office scanner writes it: 1 bit per pixel, WhiteIsZero,
 * Deflate-compressed, one strip per page, the resolution in the tags. Little-endian; each page's
 * directory is followed by its resolution values and its strip. (utif2's encoder is not used: its
 * declared types do not allow a directory without decoded pixels; the unit test reads the file back
 * with utif2's decoder.)
 */
function tiff(pages: { image: Image; dpi: number }[]): Uint8Array {
  const SHORT = 3;
  const LONG = 4;
  const RATIONAL = 5;
  const parts: Buffer[] = [];
  let at = 8;
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(at, 4);
  parts.push(header);
  pages.forEach((p, index) => {
    const strip = deflateSync(packBits1(p.image), { level: 9 });
    const entries = 12;
    const ifdSize = 2 + entries * 12 + 4;
    const resolutionAt = at + ifdSize;
    const stripAt = resolutionAt + 16;
    const tags: [number, number, number][] = [
      [256, LONG, p.image.width],
      [257, LONG, p.image.height],
      [258, SHORT, 1],
      [259, SHORT, 8], // Deflate
      [262, SHORT, 0], // WhiteIsZero
      [273, LONG, stripAt],
      [277, SHORT, 1],
      [278, LONG, p.image.height],
      [279, LONG, strip.length],
      [282, RATIONAL, resolutionAt],
      [283, RATIONAL, resolutionAt + 8],
      [296, SHORT, 2], // inches
    ];
    const ifd = Buffer.alloc(ifdSize + 16);
    ifd.writeUInt16LE(entries, 0);
    tags.forEach(([tag, type, value], i) => {
      const o = 2 + i * 12;
      ifd.writeUInt16LE(tag, o);
      ifd.writeUInt16LE(type, o + 2);
      ifd.writeUInt32LE(1, o + 4);
      if (type === SHORT) ifd.writeUInt16LE(value, o + 8);
      else ifd.writeUInt32LE(value, o + 8);
    });
    const next = stripAt + strip.length + ((stripAt + strip.length) % 2);
    ifd.writeUInt32LE(index === pages.length - 1 ? 0 : next, 2 + entries * 12);
    ifd.writeUInt32LE(p.dpi, ifdSize);
    ifd.writeUInt32LE(1, ifdSize + 4);
    ifd.writeUInt32LE(p.dpi, ifdSize + 8);
    ifd.writeUInt32LE(1, ifdSize + 12);
    parts.push(ifd, strip);
    at = stripAt + strip.length;
    if (at % 2 === 1) {
      parts.push(Buffer.alloc(1)); // directories start on a word boundary
      at += 1;
    }
  });
  return Buffer.concat(parts);
}

async function pdf(pages: { bytes: Uint8Array; kind: 'jpg' | 'png' }[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setProducer('Scanner (test fixture)');
  doc.setCreationDate(new Date('2026-03-02T09:00:00Z'));
  doc.setModificationDate(new Date('2026-03-02T09:00:00Z'));
  for (const page of pages) {
    const image = page.kind === 'jpg' ? await doc.embedJpg(page.bytes) : await doc.embedPng(page.bytes);
    const p = doc.addPage([595.28, 841.89]);
    p.drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
  }
  return doc.save({ useObjectStreams: false });
}

// ---------------------------------------------------------------------------------------------
// The set

type Fault =
  | { kind: 'skew'; degrees: number }
  | { kind: 'speckle'; density: number }
  | { kind: 'blur'; radius: number }
  | { kind: 'photocopy'; ink: number; paper: number }
  | { kind: 'grey-background'; level: number }
  | { kind: 'bilevel'; level: number };

interface PageSpec {
  typeface: Typeface;
  points: number;
  dpi: number;
  faults: Fault[];
  /** Low JPEG quality applied when saving (the `jpeg` condition when below 50). */
  quality?: number;
}

interface FileSpec {
  name: string;
  format: 'png' | 'jpg' | 'pdf' | 'tif';
  /** For PDFs: how each page image is embedded. */
  embed?: 'jpg' | 'png';
  topic: keyof typeof TOPICS;
  description: string;
  pages: PageSpec[];
}

const page = (typeface: Typeface, faults: Fault[] = [], extra: Partial<PageSpec> = {}): PageSpec => ({
  typeface,
  points: 12,
  dpi: 200,
  faults,
  ...extra,
});

/** Typical good JPEG quality of a scanner. */
const SCAN_QUALITY = 0.8;

const SET: FileSpec[] = [
  { name: 'song-clean', format: 'png', topic: 'wages', description: 'Song, clean 200 dpi scan', pages: [page('song')] },
  { name: 'hei-clean', format: 'png', topic: 'land', description: 'Hei, clean 200 dpi scan', pages: [page('hei')] },
  { name: 'kai-clean', format: 'png', topic: 'housing', description: 'Kai, clean 200 dpi scan', pages: [page('kai')] },
  {
    name: 'song-clean-300dpi',
    format: 'jpg',
    topic: 'pension',
    description: 'Song, clean 300 dpi scan, scanner JPEG quality',
    pages: [page('song', [], { dpi: 300, quality: SCAN_QUALITY })],
  },
  {
    name: 'hei-small-type',
    format: 'png',
    topic: 'noise',
    description: 'Hei at 10.5 pt (五号), clean',
    pages: [page('hei', [], { points: 10.5 })],
  },
  {
    name: 'song-skew-2',
    format: 'jpg',
    topic: 'medical',
    description: 'Song, skewed 2°',
    pages: [page('song', [{ kind: 'skew', degrees: 2 }], { quality: SCAN_QUALITY })],
  },
  {
    name: 'hei-skew-3',
    format: 'jpg',
    topic: 'wages',
    description: 'Hei, skewed −3°',
    pages: [page('hei', [{ kind: 'skew', degrees: -3 }], { quality: SCAN_QUALITY })],
  },
  {
    name: 'kai-skew-1',
    format: 'jpg',
    topic: 'land',
    description: 'Kai, skewed 1.2°',
    pages: [page('kai', [{ kind: 'skew', degrees: 1.2 }], { quality: SCAN_QUALITY })],
  },
  {
    name: 'song-skew-4',
    format: 'jpg',
    topic: 'noise',
    description: 'Song, skewed −4° (the upper bound)',
    pages: [page('song', [{ kind: 'skew', degrees: -4 }], { quality: SCAN_QUALITY })],
  },
  {
    name: 'song-speckle',
    format: 'png',
    topic: 'housing',
    description: 'Song, salt-and-pepper speckle (dust)',
    pages: [page('song', [{ kind: 'speckle', density: 0.0015 }])],
  },
  {
    name: 'hei-speckle',
    format: 'png',
    topic: 'pension',
    description: 'Hei, heavy salt-and-pepper speckle',
    pages: [page('hei', [{ kind: 'speckle', density: 0.003 }])],
  },
  {
    name: 'kai-speckle',
    format: 'png',
    topic: 'medical',
    description: 'Kai, salt-and-pepper speckle',
    pages: [page('kai', [{ kind: 'speckle', density: 0.0015 }])],
  },
  {
    name: 'song-photocopy',
    format: 'jpg',
    topic: 'land',
    description: 'Song, photocopy: grey toner, low contrast, edge shadow, slight blur',
    pages: [
      page(
        'song',
        [
          { kind: 'photocopy', ink: 70, paper: 215 },
          { kind: 'blur', radius: 1 },
        ],
        { quality: SCAN_QUALITY },
      ),
    ],
  },
  {
    name: 'hei-photocopy-blur',
    format: 'jpg',
    topic: 'housing',
    description: 'Hei, copy of a copy: strong blur and low contrast',
    pages: [
      page(
        'hei',
        [
          { kind: 'blur', radius: 2 },
          { kind: 'photocopy', ink: 90, paper: 205 },
        ],
        { quality: SCAN_QUALITY },
      ),
    ],
  },
  {
    name: 'kai-photocopy',
    format: 'jpg',
    topic: 'wages',
    description: 'Kai, photocopy: grey toner, low contrast, slight blur',
    pages: [
      page(
        'kai',
        [
          { kind: 'photocopy', ink: 75, paper: 210 },
          { kind: 'blur', radius: 1 },
        ],
        { quality: SCAN_QUALITY },
      ),
    ],
  },
  {
    name: 'song-jpeg-q20',
    format: 'jpg',
    topic: 'noise',
    description: 'Song, saved at JPEG quality 20',
    pages: [page('song', [], { quality: 0.2 })],
  },
  {
    name: 'hei-jpeg-q12',
    format: 'jpg',
    topic: 'medical',
    description: 'Hei, saved at JPEG quality 12 (heavy block artefacts)',
    pages: [page('hei', [], { quality: 0.12 })],
  },
  {
    name: 'kai-grey-paper-skew',
    format: 'jpg',
    topic: 'pension',
    description: 'Kai on grey uneven paper, skewed −1.5°',
    pages: [
      page(
        'kai',
        [
          { kind: 'grey-background', level: 185 },
          { kind: 'skew', degrees: -1.5 },
        ],
        { quality: SCAN_QUALITY },
      ),
    ],
  },
  {
    name: 'song-grey-paper-jpeg',
    format: 'jpg',
    topic: 'housing',
    description: 'Song on grey paper, JPEG quality 30',
    pages: [page('song', [{ kind: 'grey-background', level: 170 }], { quality: 0.3 })],
  },
  {
    name: 'hei-everything',
    format: 'jpg',
    topic: 'noise',
    description: 'Hei, skewed 2.5°, speckle, blur, grey paper and JPEG quality 35 together',
    pages: [
      page(
        'hei',
        [
          { kind: 'grey-background', level: 195 },
          { kind: 'blur', radius: 1 },
          { kind: 'speckle', density: 0.001 },
          { kind: 'skew', degrees: 2.5 },
        ],
        { quality: 0.35 },
      ),
    ],
  },
  {
    name: 'scan-song-2page',
    format: 'pdf',
    embed: 'jpg',
    topic: 'land',
    description: 'Two-page scanner PDF (JPEG page images), Song, the second page skewed 1°',
    pages: [page('song', [], { quality: SCAN_QUALITY }), page('song', [{ kind: 'skew', degrees: 1 }], { quality: SCAN_QUALITY })],
  },
  {
    name: 'scan-hei-2page-noisy',
    format: 'pdf',
    embed: 'png',
    topic: 'wages',
    description: 'Two-page scanner PDF (greyscale PNG page images), Hei, speckle and skew −2°',
    pages: [
      page('hei', [{ kind: 'speckle', density: 0.001 }]),
      page('hei', [
        { kind: 'skew', degrees: -2 },
        { kind: 'speckle', density: 0.001 },
      ]),
    ],
  },
  {
    name: 'scan-kai-2page-copy',
    format: 'pdf',
    embed: 'jpg',
    topic: 'medical',
    description: 'Two-page scanner PDF (JPEG page images) of a photocopied Kai letter',
    pages: [
      page(
        'kai',
        [
          { kind: 'photocopy', ink: 70, paper: 215 },
          { kind: 'blur', radius: 1 },
        ],
        { quality: SCAN_QUALITY },
      ),
      page(
        'kai',
        [
          { kind: 'photocopy', ink: 80, paper: 210 },
          { kind: 'blur', radius: 1 },
        ],
        { quality: SCAN_QUALITY },
      ),
    ],
  },
  {
    name: 'fax-song-3page',
    format: 'tif',
    topic: 'pension',
    description: 'Three-page black-and-white (1-bit, Deflate) TIFF, Song, the last page skewed 1.5°',
    pages: [
      page('song', [{ kind: 'bilevel', level: 150 }]),
      page('song', [{ kind: 'bilevel', level: 150 }]),
      page('song', [
        { kind: 'skew', degrees: 1.5 },
        { kind: 'bilevel', level: 150 },
      ]),
    ],
  },
];

/** How a letter is laid over n pages: title and first paragraphs first, signature on the last. */
function split(l: Letter, pages: number): Parameters<typeof printPage>[1][] {
  if (pages === 1) return [{ ...l }];
  const extra = pages - 1;
  // A two- or three-page letter is a longer one: each page after the first gets its own paragraphs.
  const per = Math.ceil(l.paragraphs.length / pages);
  return Array.from({ length: pages }, (_, i) => {
    const paragraphs = l.paragraphs.slice(i * per, (i + 1) * per);
    return {
      ...(i === 0 ? { title: l.title, addressee: l.addressee } : {}),
      paragraphs,
      ...(i === extra ? { closing: l.closing, signature: l.signature } : {}),
    };
  });
}

/** A longer letter for multi-page files: the topic's paragraphs, then a second account. */
function longLetter(random: Random, spec: FileSpec): Letter {
  const writer = person(random);
  const l = letter(random, spec.topic, writer);
  if (spec.pages.length === 1) return l;
  const others = Object.keys(TOPICS).filter((t) => t !== spec.topic);
  const more: string[] = [];
  for (let i = 1; i < spec.pages.length; i++) {
    const other = TOPICS[pick(random, others)]!(random, writer);
    more.push(`另外，我还想反映一件事：${other.title.replace(/^关于/, '').replace(/的.*$/, '')}的情况。`, ...other.paragraphs.slice(0, 3));
  }
  return { ...l, paragraphs: [...l.paragraphs.slice(0, 3), ...more, l.paragraphs[3]!] };
}

function manifestConditions(p: PageSpec): OcrCorpusPage['conditions'] {
  const out = new Set<OcrCorpusPage['conditions'][number]>();
  for (const f of p.faults) out.add(f.kind);
  if (p.quality !== undefined && p.quality < 0.5) out.add('jpeg');
  if (p.points < 11) out.add('small-type');
  if (out.size === 0) out.add('clean');
  return [...out];
}

async function build(spec: FileSpec, dir: string): Promise<OcrCorpusFile> {
  const random = seeded(spec.name);
  const l = longLetter(random, spec);
  const contents = split(l, spec.pages.length);
  const truths: string[] = [];
  const encoded: { bytes: Uint8Array; kind: 'jpg' | 'png' }[] = [];
  const images: { image: Image; dpi: number }[] = [];
  for (const [i, p] of spec.pages.entries()) {
    const printed = printPage({ typeface: p.typeface, dpi: p.dpi, points: p.points }, contents[i]!);
    truths.push(printed.lines.join('\n'));
    let image: Image = printed;
    for (const fault of p.faults) {
      if (fault.kind === 'skew') image = rotate(image, fault.degrees);
      else if (fault.kind === 'speckle') speckle(image, random, fault.density);
      else if (fault.kind === 'blur') blur(image, fault.radius);
      else if (fault.kind === 'photocopy') photocopy(image, random, fault);
      else if (fault.kind === 'grey-background') greyPaper(image, random, fault.level);
      else threshold(image, fault.level);
    }
    images.push({ image, dpi: p.dpi });
    const kind = spec.format === 'pdf' ? (spec.embed ?? 'jpg') : spec.format === 'png' ? 'png' : 'jpg';
    if (spec.format !== 'tif') encoded.push({ bytes: kind === 'png' ? png(image, p.dpi) : jpeg(image, p.quality ?? SCAN_QUALITY), kind });
  }
  const file = `${spec.name}.${spec.format}`;
  const bytes = spec.format === 'pdf' ? await pdf(encoded) : spec.format === 'tif' ? tiff(images) : encoded[0]!.bytes;
  writeFileSync(join(dir, file), bytes);
  writeFileSync(join(dir, truthFileName(file)), truths.join(PAGE_SEPARATOR) + '\n');
  console.log(`${file}: ${spec.pages.length} page(s), ${(bytes.length / 1024).toFixed(0)} KiB`);
  return {
    file,
    description: spec.description,
    pages: spec.pages.map((p) => ({
      typeface: p.typeface,
      conditions: manifestConditions(p),
      dpi: p.dpi,
      skewDegrees: p.faults.reduce((s, f) => s + (f.kind === 'skew' ? f.degrees : 0), 0),
    })),
  };
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--out');
  const dir = resolve(i >= 0 ? process.argv[i + 1]! : OCR_CORPUS_DIR);
  mkdirSync(dir, { recursive: true });
  registerFonts();
  const only = process.argv.slice(2).filter((a, k, all) => !a.startsWith('--') && all[k - 1] !== '--out');
  const files: OcrCorpusFile[] = [];
  for (const spec of SET) {
    if (only.length > 0 && !only.includes(spec.name)) continue;
    files.push(await build(spec, dir));
  }
  if (only.length === 0) {
    const manifest: OcrCorpusManifest = OcrCorpusManifestSchema.parse({ generator: 'npm run ocr:corpus (scripts/ocr-corpus.ts)', files });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  }
}

await main();
