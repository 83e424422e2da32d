/**
 * The demo venue's menu: a poolside café with four kitchen stations (grill, fryer, drinks, cold),
 * lunch dishes served 11:00–16:00, snacks and drinks all day, modifiers with priced choices,
 * allergens and dietary tags, names in English and Arabic (modifiers and their choices too). Seeded with the demo catalog (insert-if-missing).
 */
import { MenuCategory, MenuItem } from '../../machines/contract/food.js';

const SAR = 100;
const LUNCH = [{ from: '11:00', to: '16:00' }];
/** A name in Arabic, as translations hold it. */
const ar = (name: string) => ({ ar: { name } });

/** The demo menu's categories. */
export const DEMO_MENU_CATEGORIES: MenuCategory[] = [
  { categoryId: 'mains', name: 'Mains', description: 'Hot lunch from the grill.', sort: 10, translations: { ar: { name: 'الأطباق الرئيسية' } } },
  { categoryId: 'snacks', name: 'Snacks', description: 'Something quick between rides.', sort: 20, translations: { ar: { name: 'وجبات خفيفة' } } },
  { categoryId: 'drinks', name: 'Drinks', description: '', sort: 30, translations: { ar: { name: 'المشروبات' } } },
  { categoryId: 'desserts', name: 'Desserts', description: '', sort: 40, translations: { ar: { name: 'الحلويات' } } },
].map((c) => MenuCategory.parse(c));

/** The demo menu's items. */
export const DEMO_MENU_ITEMS: MenuItem[] = [
  {
    itemId: 'chicken-shawarma-plate',
    translations: { ar: { name: 'صحن شاورما دجاج' } },
    categoryId: 'mains',
    name: 'Chicken shawarma plate',
    description: 'Grilled chicken, garlic sauce, pickles, fries and bread.',
    price: 32 * SAR,
    station: 'grill',
    prepMinutes: 12,
    allergens: ['gluten', 'eggs', 'sesame'],
    dietary: ['halal'],
    modifiers: [
      { modifierId: 'bread', name: 'Bread', translations: ar('الخبز'), min: 1, max: 1, choices: [{ choiceId: 'saj', name: 'Saj', translations: ar('صاج') }, { choiceId: 'samoon', name: 'Samoon', translations: ar('صمون') }] },
      {
        modifierId: 'extras',
        name: 'Extras',
        translations: ar('إضافات'),
        min: 0,
        max: 2,
        choices: [
          { choiceId: 'extra-garlic', name: 'Extra garlic sauce', translations: ar('صلصة ثوم إضافية'), price: 2 * SAR },
          { choiceId: 'cheese', name: 'Cheese', translations: ar('جبن'), price: 4 * SAR },
        ],
      },
    ],
    windows: LUNCH,
  },
  {
    itemId: 'beef-burger',
    translations: { ar: { name: 'برجر لحم' } },
    categoryId: 'mains',
    name: 'Beef burger',
    description: 'Grilled beef patty, lettuce, tomato, house sauce, with fries.',
    price: 38 * SAR,
    station: 'grill',
    prepMinutes: 14,
    allergens: ['gluten', 'eggs', 'milk', 'mustard', 'sesame'],
    dietary: ['halal'],
    modifiers: [
      { modifierId: 'doneness', name: 'Cooked', translations: ar('درجة الطهي'), min: 1, max: 1, choices: [{ choiceId: 'medium', name: 'Medium', translations: ar('متوسط') }, { choiceId: 'well-done', name: 'Well done', translations: ar('مطهو جيدًا') }] },
      {
        modifierId: 'add-ons',
        name: 'Add',
        translations: ar('أضف'),
        min: 0,
        max: 3,
        choices: [
          { choiceId: 'cheese', name: 'Cheddar', translations: ar('جبن شيدر'), price: 4 * SAR },
          { choiceId: 'egg', name: 'Fried egg', translations: ar('بيض مقلي'), price: 3 * SAR },
          { choiceId: 'jalapeno', name: 'Jalapeños', translations: ar('هالابينو'), price: 2 * SAR },
        ],
      },
    ],
    windows: LUNCH,
  },
  {
    itemId: 'falafel-wrap',
    translations: { ar: { name: 'لفافة فلافل' } },
    categoryId: 'mains',
    name: 'Falafel wrap',
    description: 'Falafel, tahini, salad and turnip pickles.',
    price: 22 * SAR,
    station: 'fryer',
    prepMinutes: 8,
    allergens: ['gluten', 'sesame'],
    dietary: ['halal', 'vegetarian', 'vegan', 'dairy_free'],
    windows: LUNCH,
  },
  {
    itemId: 'kids-nuggets',
    translations: { ar: { name: 'ناجتس دجاج للأطفال' } },
    categoryId: 'mains',
    name: 'Kids chicken nuggets',
    description: 'Six nuggets with fries and a juice box.',
    price: 25 * SAR,
    station: 'fryer',
    prepMinutes: 9,
    allergens: ['gluten', 'eggs'],
    dietary: ['halal', 'kids'],
  },
  {
    itemId: 'loaded-fries',
    translations: { ar: { name: 'بطاطس مقلية' } },
    categoryId: 'snacks',
    name: 'Fries',
    description: '',
    price: 14 * SAR,
    station: 'fryer',
    prepMinutes: 6,
    dietary: ['halal', 'vegan', 'gluten_free', 'dairy_free'],
    modifiers: [{ modifierId: 'size', name: 'Size', translations: ar('الحجم'), min: 1, max: 1, choices: [{ choiceId: 'regular', name: 'Regular', translations: ar('عادي') }, { choiceId: 'large', name: 'Large', translations: ar('كبير'), price: 5 * SAR }] }],
  },
  {
    itemId: 'mint-lemonade',
    translations: { ar: { name: 'ليمون بالنعناع' } },
    categoryId: 'drinks',
    name: 'Mint lemonade',
    description: 'Fresh lemon and mint, blended with ice.',
    price: 15 * SAR,
    station: 'drinks',
    prepMinutes: 3,
    dietary: ['vegan', 'gluten_free', 'dairy_free', 'nut_free'],
    modifiers: [{ modifierId: 'sugar', name: 'Sugar', translations: ar('السكر'), min: 1, max: 1, choices: [{ choiceId: 'regular', name: 'Regular', translations: ar('عادي') }, { choiceId: 'no-sugar', name: 'No sugar', translations: ar('بدون سكر') }] }],
  },
  {
    itemId: 'fresh-orange-juice',
    translations: { ar: { name: 'عصير برتقال طازج' } },
    categoryId: 'drinks',
    name: 'Fresh orange juice',
    description: '',
    price: 12 * SAR,
    station: 'drinks',
    prepMinutes: 3,
    dietary: ['vegan', 'gluten_free', 'dairy_free', 'nut_free'],
  },
  {
    itemId: 'water',
    translations: { ar: { name: 'مياه ٥٠٠ مل' } },
    categoryId: 'drinks',
    name: 'Water 500 ml',
    description: '',
    price: 3 * SAR,
    station: 'drinks',
    prepMinutes: 0,
    dietary: ['vegan', 'gluten_free', 'dairy_free', 'nut_free'],
  },
  {
    itemId: 'date-ice-cream',
    translations: { ar: { name: 'آيس كريم التمر' } },
    categoryId: 'desserts',
    name: 'Date ice cream',
    description: 'Two scoops with date syrup and pistachio.',
    price: 16 * SAR,
    station: 'cold',
    prepMinutes: 2,
    allergens: ['milk', 'tree_nuts'],
    dietary: ['vegetarian'],
  },
].map((i) => MenuItem.parse(i));
