/**
 * A refusal from the hub (or the SDK) in the visitor's words, by its code: the hub's own message
 * is English and written for developers, so the pages say what the visitor can do instead. Codes
 * a visitor cannot meet keep the hub's message in English and a generic sentence with the code
 * in Arabic.
 */
import type { HubErrorCode } from '../../sdk/index.js';
import { isolated, lang, t } from './i18n.js';

type Words = Partial<Record<HubErrorCode, string>>;

const SESSION_EN = 'Your session has ended. Sign in again.';
const BUSY_EN = 'The park’s system is busy. Try again in a moment.';
const OFFLINE_EN = 'No connection to the park. Check your connection and try again.';
const FORM_EN = 'Something in the form is not right. Check it and try again.';

const en = {
  'otp.invalid': 'That code is not right. Check it and try again.',
  'otp.expired': 'That code has expired. Ask for a new one.',
  'otp.locked': 'Too many wrong codes. Wait a while, then ask for a new one.',
  'otp.throttled': 'We sent a code a moment ago. Wait a little before asking for another.',
  'signin.failed': 'We could not sign you in with that address. Check it, or sign up as new.',
  'account.unverified': 'Confirm your email address or mobile number first.',
  'account.suspended': 'This account is suspended. Please contact the venue.',
  'account.invalid': 'We could not find that account.',
  'rate.limited': 'Too many tries in a short time. Wait a moment and try again.',
  'input.invalid': FORM_EN,
  'event.invalid': FORM_EN,
  'event.rejected': 'This booking cannot do that any more. Reload the page to see where it stands.',
  'slot.sold_out': 'Not enough places are left at that time. Choose another time or fewer tickets.',
  'slot.not_found': 'That time can no longer be booked. Choose another.',
  'slot.invalid': 'That time can no longer be booked. Choose another.',
  'catalog.not_found': 'Something you chose is no longer offered.',
  'booking.limit': 'That is more tickets of one kind than a booking may have.',
  'booking.hold_limit': 'You already hold as many unpaid places as one visitor may. Pay for or cancel a held booking first.',
  'payment.declined': 'The payment did not go through. Try again, or pay another way.',
  'payment.gateway': 'The payment service is not answering. Try again in a moment.',
  'menu.sold_out': 'Something you chose has just sold out: take it out and order again.',
  'menu.unavailable': 'Something you chose is not served at that time.',
  'menu.modifier_invalid': 'Choose the options of each dish.',
  'order.pickup_invalid': 'Choose a later time: the kitchen needs longer to make it.',
  'order.no_visit': 'Food is ordered here during your visit: on the day of this booking, once it is paid.',
  'auth.missing': SESSION_EN,
  'auth.invalid': SESSION_EN,
  'auth.expired': SESSION_EN,
  'auth.revoked': SESSION_EN,
  'session.invalid': SESSION_EN,
  'hub.draining': BUSY_EN,
  'store.unavailable': BUSY_EN,
  'store.conflict': BUSY_EN,
  internal: BUSY_EN,
  'client.unreachable': OFFLINE_EN,
  'client.timeout': OFFLINE_EN,
  'client.disconnected': OFFLINE_EN,
  'client.closed': OFFLINE_EN,
} satisfies Words;

const SESSION_AR = 'انتهت جلستك. سجّل الدخول مرة أخرى.';
const BUSY_AR = 'نظام المنتزه مشغول. حاول مرة أخرى بعد لحظات.';
const OFFLINE_AR = 'لا يوجد اتصال بالمنتزه. تحقّق من اتصالك وحاول مرة أخرى.';
const FORM_AR = 'في النموذج ما هو غير صحيح. راجعه وحاول مرة أخرى.';

const ar: Record<keyof typeof en, string> = {
  'otp.invalid': 'الرمز غير صحيح. تحقّق منه وحاول مرة أخرى.',
  'otp.expired': 'انتهت صلاحية الرمز. اطلب رمزًا جديدًا.',
  'otp.locked': 'أُدخلت رموز خاطئة كثيرة. انتظر قليلًا ثم اطلب رمزًا جديدًا.',
  'otp.throttled': 'أرسلنا رمزًا قبل لحظات. انتظر قليلًا قبل طلب رمز آخر.',
  'signin.failed': 'تعذّر تسجيل دخولك بهذا العنوان. تحقّق منه، أو أنشئ حسابًا جديدًا.',
  'account.unverified': 'أكّد بريدك الإلكتروني أو رقم جوالك أولًا.',
  'account.suspended': 'هذا الحساب موقوف. يُرجى التواصل مع المنتزه.',
  'account.invalid': 'لم نجد هذا الحساب.',
  'rate.limited': 'محاولات كثيرة في وقت قصير. انتظر لحظة ثم حاول مرة أخرى.',
  'input.invalid': FORM_AR,
  'event.invalid': FORM_AR,
  'event.rejected': 'لم يعد بالإمكان تنفيذ ذلك على هذا الحجز. أعد تحميل الصفحة لترى حالته.',
  'slot.sold_out': 'لم يتبقَّ عدد كافٍ من الأماكن في هذا الوقت. اختر وقتًا آخر أو تذاكر أقل.',
  'slot.not_found': 'لم يعد هذا الوقت متاحًا للحجز. اختر وقتًا آخر.',
  'slot.invalid': 'لم يعد هذا الوقت متاحًا للحجز. اختر وقتًا آخر.',
  'catalog.not_found': 'شيء مما اخترته لم يعد معروضًا.',
  'booking.limit': 'هذا أكثر مما يسمح به الحجز الواحد من هذا النوع من التذاكر.',
  'booking.hold_limit': 'لديك أقصى عدد مسموح به للزائر من الأماكن غير المدفوعة. ادفع حجزًا مؤقتًا أو ألغِه أولًا.',
  'payment.declined': 'لم تتم عملية الدفع. حاول مرة أخرى أو ادفع بطريقة أخرى.',
  'payment.gateway': 'خدمة الدفع لا تستجيب. حاول مرة أخرى بعد لحظات.',
  'menu.sold_out': 'نفد صنف اخترته للتو: احذفه وأعد الطلب.',
  'menu.unavailable': 'صنف اخترته لا يُقدَّم في هذا الوقت.',
  'menu.modifier_invalid': 'اختر خيارات كل طبق.',
  'order.pickup_invalid': 'اختر وقتاً لاحقاً: يحتاج المطبخ وقتاً أطول لتحضيره.',
  'order.no_visit': 'يُطلب الطعام هنا أثناء زيارتك: في يوم هذا الحجز بعد دفعه.',
  'auth.missing': SESSION_AR,
  'auth.invalid': SESSION_AR,
  'auth.expired': SESSION_AR,
  'auth.revoked': SESSION_AR,
  'session.invalid': SESSION_AR,
  'hub.draining': BUSY_AR,
  'store.unavailable': BUSY_AR,
  'store.conflict': BUSY_AR,
  internal: BUSY_AR,
  'client.unreachable': OFFLINE_AR,
  'client.timeout': OFFLINE_AR,
  'client.disconnected': OFFLINE_AR,
  'client.closed': OFFLINE_AR,
};

/** The refusal in the language shown: the visitor's words for its code, else the hub's message (English) or a sentence naming the code (Arabic). */
export function refusalText(refusal: { code: string; message: string }): string {
  const code = refusal.code as HubErrorCode;
  const words = (lang.value === 'ar' ? (ar as Words) : (en as Words))[code];
  if (words !== undefined) return words;
  return lang.value === 'en' && refusal.message !== '' ? refusal.message : t('common.refused', { code: isolated(refusal.code) });
}
