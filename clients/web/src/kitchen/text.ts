/** The kitchen board's words, in English and Arabic (the visitor app's language switch and direction). */
import { lang } from '../i18n.js';

const en = {
  title: 'Kitchen',
  expo: 'Expo',
  station: 'Station',
  connectTitle: 'Connect this board',
  connectHint: 'Paste the board\'s device token (POST /api/admin/devices, kind kitchen_board), or sign in as kitchen staff in this browser.',
  token: 'Device token',
  stationLabel: 'Station (empty: expo)',
  connect: 'Connect',
  disconnect: 'Forget this board',
  online: 'Live',
  offline: 'Reconnecting…',
  queue: 'Queue',
  allDay: 'All day',
  nothing: 'Nothing to make.',
  nothingExpo: 'No orders in the kitchen.',
  queued: 'New',
  cooking: 'Cooking',
  done: 'Done',
  ready: 'Ready',
  preparing: 'Preparing',
  start: 'Start',
  finish: 'Done',
  handOver: 'Hand over',
  recall: 'Recall',
  keys: '1–9 bump · R recall last bump',
  keysExpo: '1–9 hand over a ready order',
  stale: 'Another board moved that ticket first; the board shows it as it is now.',
  failed: 'Not done',
  recalled: 'Recalled',
} as const;

type Key = keyof typeof en;

const ar: Record<Key, string> = {
  title: 'المطبخ',
  expo: 'نقطة التسليم',
  station: 'المحطة',
  connectTitle: 'ربط هذه الشاشة',
  connectHint: 'الصق رمز الجهاز الخاص بالشاشة، أو سجّل الدخول كموظف مطبخ في هذا المتصفح.',
  token: 'رمز الجهاز',
  stationLabel: 'المحطة (فارغ: نقطة التسليم)',
  connect: 'ربط',
  disconnect: 'إلغاء ربط الشاشة',
  online: 'مباشر',
  offline: 'جارٍ إعادة الاتصال…',
  queue: 'قائمة الطلبات',
  allDay: 'إجمالي اليوم',
  nothing: 'لا شيء للتحضير.',
  nothingExpo: 'لا طلبات في المطبخ.',
  queued: 'جديد',
  cooking: 'قيد الطهي',
  done: 'جاهز',
  ready: 'جاهز',
  preparing: 'قيد التحضير',
  start: 'ابدأ',
  finish: 'تم',
  handOver: 'تسليم',
  recall: 'استرجاع',
  keys: '١–٩ تقديم · R استرجاع آخر خطوة',
  keysExpo: '١–٩ تسليم طلب جاهز',
  stale: 'شاشة أخرى حرّكت هذه التذكرة أولاً؛ تظهر الآن كما هي.',
  failed: 'لم يتم',
  recalled: 'تم الاسترجاع',
};

/** The board's word for `key` in the language shown. */
export function k(key: Key): string {
  return lang.value === 'ar' ? ar[key] : en[key];
}
