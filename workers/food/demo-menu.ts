/**
 * The demo venue's menu: a poolside café with four kitchen stations (grill, fryer, drinks, cold),
 * lunch dishes served 11:00–16:00, snacks and drinks all day, modifiers with priced choices,
 * allergens and dietary tags. Seeded with the demo catalog (insert-if-missing).
 */
import { MenuCategory, MenuItem } from '../../machines/contract/food.js';

const SAR = 100;
const LUNCH = [{ from: '11:00', to: '16:00' }];

/** The demo menu's categories. */
export const DEMO_MENU_CATEGORIES: MenuCategory[] = [
  { categoryId: 'mains', name: 'Mains', description: 'Hot lunch from the grill.', sort: 10 },
  { categoryId: 'snacks', name: 'Snacks', description: 'Something quick between rides.', sort: 20 },
  { categoryId: 'drinks', name: 'Drinks', description: '', sort: 30 },
  { categoryId: 'desserts', name: 'Desserts', description: '', sort: 40 },
].map((c) => MenuCategory.parse(c));

/** The demo menu's items. */
export const DEMO_MENU_ITEMS: MenuItem[] = [
  {
    itemId: 'chicken-shawarma-plate',
    categoryId: 'mains',
    name: 'Chicken shawarma plate',
    description: 'Grilled chicken, garlic sauce, pickles, fries and bread.',
    price: 32 * SAR,
    station: 'grill',
    prepMinutes: 12,
    allergens: ['gluten', 'eggs', 'sesame'],
    dietary: ['halal'],
    modifiers: [
      { modifierId: 'bread', name: 'Bread', min: 1, max: 1, choices: [{ choiceId: 'saj', name: 'Saj' }, { choiceId: 'samoon', name: 'Samoon' }] },
      { modifierId: 'extras', name: 'Extras', min: 0, max: 2, choices: [{ choiceId: 'extra-garlic', name: 'Extra garlic sauce', price: 2 * SAR }, { choiceId: 'cheese', name: 'Cheese', price: 4 * SAR }] },
    ],
    windows: LUNCH,
  },
  {
    itemId: 'beef-burger',
    categoryId: 'mains',
    name: 'Beef burger',
    description: 'Grilled beef patty, lettuce, tomato, house sauce, with fries.',
    price: 38 * SAR,
    station: 'grill',
    prepMinutes: 14,
    allergens: ['gluten', 'eggs', 'milk', 'mustard', 'sesame'],
    dietary: ['halal'],
    modifiers: [
      { modifierId: 'doneness', name: 'Cooked', min: 1, max: 1, choices: [{ choiceId: 'medium', name: 'Medium' }, { choiceId: 'well-done', name: 'Well done' }] },
      { modifierId: 'add-ons', name: 'Add', min: 0, max: 3, choices: [{ choiceId: 'cheese', name: 'Cheddar', price: 4 * SAR }, { choiceId: 'egg', name: 'Fried egg', price: 3 * SAR }, { choiceId: 'jalapeno', name: 'Jalapeños', price: 2 * SAR }] },
    ],
    windows: LUNCH,
  },
  {
    itemId: 'falafel-wrap',
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
    categoryId: 'snacks',
    name: 'Fries',
    description: '',
    price: 14 * SAR,
    station: 'fryer',
    prepMinutes: 6,
    dietary: ['halal', 'vegan', 'gluten_free', 'dairy_free'],
    modifiers: [{ modifierId: 'size', name: 'Size', min: 1, max: 1, choices: [{ choiceId: 'regular', name: 'Regular' }, { choiceId: 'large', name: 'Large', price: 5 * SAR }] }],
  },
  {
    itemId: 'mint-lemonade',
    categoryId: 'drinks',
    name: 'Mint lemonade',
    description: 'Fresh lemon and mint, blended with ice.',
    price: 15 * SAR,
    station: 'drinks',
    prepMinutes: 3,
    dietary: ['vegan', 'gluten_free', 'dairy_free', 'nut_free'],
    modifiers: [{ modifierId: 'sugar', name: 'Sugar', min: 1, max: 1, choices: [{ choiceId: 'regular', name: 'Regular' }, { choiceId: 'no-sugar', name: 'No sugar' }] }],
  },
  {
    itemId: 'fresh-orange-juice',
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
