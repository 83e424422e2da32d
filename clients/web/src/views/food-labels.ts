/**
 * What the menu's allergen and dietary ids mean, in English and Arabic: the visitor reads
 * "Contains: Gluten, Milk" (or «يحتوي على: الغلوتين والحليب»), never the raw ids. Keyed by the
 * contract's closed lists, so a new allergen or tag does not compile until it has both names.
 */
import type { Allergen, DietaryTag } from '../../../../machines/contract/food.js';
import { lang, localeOf } from '../i18n.js';

type Names = Record<'en' | 'ar', string>;

const ALLERGEN_NAMES: Record<Allergen, Names> = {
  gluten: { en: 'Gluten', ar: 'الغلوتين' },
  crustaceans: { en: 'Crustaceans', ar: 'القشريات' },
  eggs: { en: 'Eggs', ar: 'البيض' },
  fish: { en: 'Fish', ar: 'الأسماك' },
  peanuts: { en: 'Peanuts', ar: 'الفول السوداني' },
  soy: { en: 'Soy', ar: 'الصويا' },
  milk: { en: 'Milk', ar: 'الحليب' },
  tree_nuts: { en: 'Tree nuts', ar: 'المكسرات' },
  celery: { en: 'Celery', ar: 'الكرفس' },
  mustard: { en: 'Mustard', ar: 'الخردل' },
  sesame: { en: 'Sesame', ar: 'السمسم' },
  sulphites: { en: 'Sulphites', ar: 'الكبريتيت' },
  lupin: { en: 'Lupin', ar: 'الترمس' },
  molluscs: { en: 'Molluscs', ar: 'الرخويات' },
};

const DIETARY_NAMES: Record<DietaryTag, Names> = {
  halal: { en: 'Halal', ar: 'حلال' },
  vegetarian: { en: 'Vegetarian', ar: 'نباتي' },
  vegan: { en: 'Vegan', ar: 'نباتي صرف' },
  gluten_free: { en: 'Gluten free', ar: 'خالٍ من الغلوتين' },
  dairy_free: { en: 'Dairy free', ar: 'خالٍ من الألبان' },
  nut_free: { en: 'Nut free', ar: 'خالٍ من المكسرات' },
  spicy: { en: 'Spicy', ar: 'حار' },
  kids: { en: 'For children', ar: 'للأطفال' },
};

/** An allergen's name in the language shown. */
export function allergenLabel(allergen: Allergen): string {
  return ALLERGEN_NAMES[allergen][lang.value];
}

/** A dietary tag's name in the language shown. */
export function dietaryLabel(tag: DietaryTag): string {
  return DIETARY_NAMES[tag][lang.value];
}

/** Names joined as the language lists them ("Gluten and Milk", «الغلوتين والحليب»). */
export function listOf(names: readonly string[]): string {
  return new Intl.ListFormat(localeOf(lang.value), { style: 'long', type: 'conjunction' }).format(names);
}
